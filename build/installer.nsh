; Included by electron-builder's NSIS script (nsis.include in electron-builder.config.cjs).
; Windows chooses a file's handler by its last extension, so *.siteshift.json is a .json file to
; Explorer. Rather than take .json from the operator's editor, Siteshift registers a ProgID and adds
; it to .json's OpenWithProgids: "Open with > Siteshift" on an export, no change to the default.
; SHCTX is HKCU for a per-user install and HKLM for a per-machine one.

!macro customInstall
  WriteRegStr SHCTX "Software\Classes\Siteshift.TopologyExport" "" "Siteshift topology export"
  WriteRegStr SHCTX "Software\Classes\Siteshift.TopologyExport\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\Siteshift.TopologyExport\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr SHCTX "Software\Classes\.json\OpenWithProgids" "Siteshift.TopologyExport" ""
  ; Tell Explorer the associations changed (SHCNE_ASSOCCHANGED, SHCNF_IDLIST).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  DeleteRegValue SHCTX "Software\Classes\.json\OpenWithProgids" "Siteshift.TopologyExport"
  DeleteRegKey SHCTX "Software\Classes\Siteshift.TopologyExport"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
