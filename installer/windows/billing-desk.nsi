; NSIS script for a Windows installer of Billing Desk, around the one-folder bundle that
; installer/billing-desk.spec builds on a Windows machine (dist\billing-desk\).
; NOT BUILT OR TESTED YET: no Windows build machine has run it. See installer/README.md,
; "Windows".
;
;   .venv\Scripts\pyinstaller --noconfirm --clean installer\billing-desk.spec
;   makensis /DVERSION=0.1.0 installer\windows\billing-desk.nsi
;
; Installs for all users under Program Files, adds a Start menu shortcut, opens *.bdesk
; files with Billing Desk, and registers an uninstaller. Uninstalling removes the program
; folder and those entries only: case files, and each user's demo file and settings
; (under their %LOCALAPPDATA%), are never touched.

Unicode true
!ifndef VERSION
  !error "pass the version: makensis /DVERSION=x.y.z billing-desk.nsi (pyproject.toml's)"
!endif
!define APP "Billing Desk"
!define KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\BillingDesk"
!define SRC "..\..\dist\billing-desk"

Name "${APP} ${VERSION}"
OutFile "..\..\dist\billing-desk-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
Icon "billing-desk.ico"
UninstallIcon "billing-desk.ico"

!include "MUI2.nsh"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Spanish"

Section "Billing Desk"
  SetShellVarContext all
  ; an upgrade replaces the program folder as a whole (no files of an older version left)
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SRC}\*.*"
  File "billing-desk.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\billing-desk.exe" "" "$INSTDIR\billing-desk.ico"
  ; *.bdesk opens in Billing Desk
  WriteRegStr HKCR ".bdesk" "" "BillingDesk.CaseFile"
  WriteRegStr HKCR "BillingDesk.CaseFile" "" "Billing Desk case file"
  WriteRegStr HKCR "BillingDesk.CaseFile\DefaultIcon" "" "$INSTDIR\billing-desk.ico"
  WriteRegStr HKCR "BillingDesk.CaseFile\shell\open\command" "" '"$INSTDIR\billing-desk.exe" "%1"'
  WriteRegStr HKLM "${KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${KEY}" "DisplayIcon" "$INSTDIR\billing-desk.ico"
  WriteRegStr HKLM "${KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APP}.lnk"
  DeleteRegKey HKCR "BillingDesk.CaseFile"
  DeleteRegKey HKCR ".bdesk"
  DeleteRegKey HKLM "${KEY}"
  ; the program folder only; never the users' data
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\billing-desk.exe"
  Delete "$INSTDIR\bundle-check.exe"
  Delete "$INSTDIR\billing-desk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
