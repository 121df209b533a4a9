/* Test support only, never shipped: Debian 12's wine 8 lacks
 * bcryptprimitives.dll, whose ProcessPrng Rust's standard library (1.78+)
 * imports on Windows. Real Windows 10 and later, and WinPE, have the DLL.
 * Built next to the exe under test by tools/windows-check. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    return RtlGenRandom(data, (ULONG)len);
}
