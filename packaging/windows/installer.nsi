; LogWeave's Windows installer (NSIS 3, built on Linux by makensis; see
; packaging/windows/build-installer.sh). Installs for the current user
; without administrator rights into %LOCALAPPDATA%\Programs\LogWeave:
; logweave.exe (console: the command line), logweavew.exe (the window,
; no console), logweave-pe.exe (for WinPE), README, licences; a Start-menu
; entry; "Open with LogWeave" in Explorer's menu of folders and of .zip and
; .cab files; optionally LogWeave as the viewer of .log and .lo_ files
; (through `logweave associate`, the same code as the window's offer); an
; uninstaller that removes what it added and nothing else.
;
; Silent: `logweave-VERSION-setup.exe /S` installs with the association,
; `/S /NOASSOCIATE` without it, `/D=C:\path` (last) elsewhere; the
; uninstaller takes `/S` too (Intune, ConfigMgr).
;
; makensis -DVERSION=0.1.0 -DEXEDIR=<folder with the exes> -DDOCDIR=<folder
;          with README.md and the licences> -DOUTFILE=<setup.exe> installer.nsi

; 64-bit like the program it installs (wine without 32-bit support runs it too).
Target amd64-unicode
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

!ifndef VERSION
  !error "VERSION is required (-DVERSION=0.1.0)"
!endif
!ifndef EXEDIR
  !error "EXEDIR is required"
!endif
!ifndef DOCDIR
  !error "DOCDIR is required"
!endif
!ifndef OUTFILE
  !define OUTFILE "logweave-${VERSION}-setup.exe"
!endif

!define APP "LogWeave"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LogWeave"
!define CLASSES "Software\Classes"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\LogWeave"
RequestExecutionLevel user
SetCompressor /SOLID lzma
ManifestDPIAware true
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "logweave.ico"
!define MUI_UNICON "logweave.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\logweavew.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start LogWeave"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "LogWeave" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${EXEDIR}\logweave.exe"
  File "${EXEDIR}\logweavew.exe"
  File "${EXEDIR}\logweave-pe.exe"
  File "${DOCDIR}\README.md"
  File "${DOCDIR}\LICENSE-MIT"
  File "${DOCDIR}\LICENSE-APACHE"
  File "${DOCDIR}\THIRD-PARTY-LICENCES.md"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\LogWeave.lnk" "$INSTDIR\logweavew.exe" "" "$INSTDIR\logweavew.exe" 0

  ; "Open with LogWeave" for folders and for zip and cab bundles.
  WriteRegStr HKCU "${CLASSES}\Directory\shell\LogWeave" "" "Open with LogWeave"
  WriteRegStr HKCU "${CLASSES}\Directory\shell\LogWeave" "Icon" "$INSTDIR\logweavew.exe,0"
  WriteRegStr HKCU "${CLASSES}\Directory\shell\LogWeave\command" "" '"$INSTDIR\logweavew.exe" "%1"'
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.zip\shell\LogWeave" "" "Open with LogWeave"
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.zip\shell\LogWeave" "Icon" "$INSTDIR\logweavew.exe,0"
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.zip\shell\LogWeave\command" "" '"$INSTDIR\logweavew.exe" "%1"'
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.cab\shell\LogWeave" "" "Open with LogWeave"
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.cab\shell\LogWeave" "Icon" "$INSTDIR\logweavew.exe,0"
  WriteRegStr HKCU "${CLASSES}\SystemFileAssociations\.cab\shell\LogWeave\command" "" '"$INSTDIR\logweavew.exe" "%1"'

  ; Apps & features.
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\logweavew.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Open .log and .lo_ files with LogWeave" SecAssociate
  ; The window's own registration (HKCU\Software\Classes\LogWeave.Log).
  ExecWait '"$INSTDIR\logweave.exe" associate' $0
  ${If} $0 != 0
    DetailPrint "logweave associate exited with $0"
  ${EndIf}
SectionEnd

LangString DESC_SecMain ${LANG_ENGLISH} "The viewer, its command line, the WinPE build, a Start-menu entry and Open with LogWeave for folders and zip/cab bundles."
LangString DESC_SecAssociate ${LANG_ENGLISH} "Double-clicking a .log or .lo_ file opens it in LogWeave (for your account only)."
!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} $(DESC_SecMain)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAssociate} $(DESC_SecAssociate)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ; /NOASSOCIATE (for silent deployments) leaves the association out.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/NOASSOCIATE" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecAssociate}
  ${EndIf}
FunctionEnd

Section "Uninstall"
  ; The association first, while logweave.exe is still there; then any
  ; key it leaves empty.
  IfFileExists "$INSTDIR\logweave.exe" 0 +2
    ExecWait '"$INSTDIR\logweave.exe" associate --remove'
  DeleteRegKey /ifempty HKCU "${CLASSES}\.log\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.log"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.lo_\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.lo_"

  DeleteRegKey HKCU "${CLASSES}\Directory\shell\LogWeave"
  DeleteRegKey HKCU "${CLASSES}\SystemFileAssociations\.zip\shell\LogWeave"
  DeleteRegKey HKCU "${CLASSES}\SystemFileAssociations\.cab\shell\LogWeave"
  DeleteRegKey /ifempty HKCU "${CLASSES}\SystemFileAssociations\.zip\shell"
  DeleteRegKey /ifempty HKCU "${CLASSES}\SystemFileAssociations\.zip"
  DeleteRegKey /ifempty HKCU "${CLASSES}\SystemFileAssociations\.cab\shell"
  DeleteRegKey /ifempty HKCU "${CLASSES}\SystemFileAssociations\.cab"
  DeleteRegKey /ifempty HKCU "${CLASSES}\SystemFileAssociations"
  DeleteRegKey /ifempty HKCU "${CLASSES}\Directory\shell"
  DeleteRegKey /ifempty HKCU "${CLASSES}\Directory"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; Parents created for them on a fresh profile (never deleted unless empty:
  ; on Windows they always hold other entries).
  DeleteRegKey /ifempty HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall"
  DeleteRegKey /ifempty HKCU "${CLASSES}"

  Delete "$SMPROGRAMS\LogWeave.lnk"
  Delete "$INSTDIR\logweave.exe"
  Delete "$INSTDIR\logweavew.exe"
  Delete "$INSTDIR\logweave-pe.exe"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\LICENSE-MIT"
  Delete "$INSTDIR\LICENSE-APACHE"
  Delete "$INSTDIR\THIRD-PARTY-LICENCES.md"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
