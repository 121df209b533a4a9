/* DWM calls bound at run time.
 *
 * winit calls DwmSetWindowAttribute (title-bar colours) and
 * DwmEnableBlurBehindWindow (transparency). Linked normally they make the
 * exe import dwmapi.dll, which a stock WinPE may lack: then Windows refuses
 * to start the program at all. build.rs links this object with
 * `--wrap=DwmSetWindowAttribute --wrap=__imp_DwmSetWindowAttribute` (and the
 * same for DwmEnableBlurBehindWindow): every call, direct or through the
 * import slot, then reaches the __wrap_ definitions below and the import
 * library's are never pulled in. Each loads dwmapi.dll the first time it is
 * called and answers E_NOTIMPL when it is not there (winit ignores the
 * result: the window keeps the default frame).
 */
#include <windows.h>

typedef HRESULT(WINAPI *set_attribute_fn)(HWND, DWORD, LPCVOID, DWORD);
typedef HRESULT(WINAPI *blur_behind_fn)(HWND, const void *);

static FARPROC dwm_function(const char *name)
{
    static HMODULE dwmapi;
    static LONG tried;
    if (InterlockedCompareExchange(&tried, 1, 0) == 0) {
        dwmapi = LoadLibraryExW(L"dwmapi.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    }
    return dwmapi ? GetProcAddress(dwmapi, name) : NULL;
}

HRESULT WINAPI __wrap_DwmSetWindowAttribute(HWND window, DWORD attribute, LPCVOID value, DWORD size)
{
    set_attribute_fn f = (set_attribute_fn)(void *)dwm_function("DwmSetWindowAttribute");
    return f ? f(window, attribute, value, size) : E_NOTIMPL;
}

HRESULT WINAPI __wrap_DwmEnableBlurBehindWindow(HWND window, const void *blur)
{
    blur_behind_fn f = (blur_behind_fn)(void *)dwm_function("DwmEnableBlurBehindWindow");
    return f ? f(window, blur) : E_NOTIMPL;
}

set_attribute_fn __wrap___imp_DwmSetWindowAttribute = __wrap_DwmSetWindowAttribute;
blur_behind_fn __wrap___imp_DwmEnableBlurBehindWindow = __wrap_DwmEnableBlurBehindWindow;
