; Inno Setup script for hvdesk on the school's Windows PCs (compile with Inno Setup 6 on
; Windows, after `pyinstaller --noconfirm --clean packaging/hvdesk.spec` has made dist\hvdesk).
;
; - Per-machine: installs into Program Files for every account (administrator rights needed).
; - Start-menu shortcut with hvdesk's icon; hvdesk-cli for IT in the same folder.
; - Optional machine-wide database (a reception PC several people sign in to with their own
;   Windows accounts): creates the local group "hvdesk users", the folder
;   %ProgramData%\hvdesk\data readable and writable only by that group, SYSTEM and
;   Administrators, and the marker %ProgramData%\hvdesk\machine-wide that makes hvdesk use it.
;   Add each member of staff's Windows account to the group (Computer Management > Local
;   Users and Groups, or: net localgroup "hvdesk users" DOMAIN\name /add).
; - The uninstaller removes the program only: it never deletes the school's data (the
;   database, backups and logs stay in %LOCALAPPDATA%\hvdesk or %ProgramData%\hvdesk).

#define AppName "hvdesk"
#define AppVersion GetVersionNumbersString("..\dist\hvdesk\hvdesk.exe")

[Setup]
AppId={{7D3C9F4E-2B1A-4F6E-9C8D-5A4B3E2F1D0C}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=hvdesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\hvdesk
DefaultGroupName=hvdesk
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=hvdesk.ico
UninstallDisplayIcon={app}\hvdesk.exe
OutputDir=..\dist
OutputBaseFilename=hvdesk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes

[Tasks]
Name: "machinewide"; Description: "One database for every Windows account on this PC (a shared reception PC)"; Flags: unchecked

[Files]
Source: "..\dist\hvdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Never removed by the uninstaller: the school's records live here.
Name: "{commonappdata}\hvdesk"; Flags: uninsneveruninstall; Tasks: machinewide
Name: "{commonappdata}\hvdesk\data"; Flags: uninsneveruninstall; Tasks: machinewide

[Icons]
Name: "{autoprograms}\hvdesk"; Filename: "{app}\hvdesk.exe"; IconFilename: "{app}\hvdesk.exe"; Comment: "The safeguarding office's desk for staff home visits"

[Run]
; The local group, and the data folder for that group only (inheritance removed).
Filename: "{sys}\net.exe"; Parameters: "localgroup ""hvdesk users"" /add /comment:""May open the hvdesk database on this PC"""; Flags: runhidden; Tasks: machinewide; StatusMsg: "Creating the local group hvdesk users..."
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\hvdesk\data"" /inheritance:r /grant:r ""*S-1-5-18:(OI)(CI)F"" ""*S-1-5-32-544:(OI)(CI)F"" ""hvdesk users:(OI)(CI)M"""; Flags: runhidden; Tasks: machinewide; StatusMsg: "Restricting the data folder to hvdesk users..."
Filename: "{cmd}"; Parameters: "/c echo one database for this PC> ""{commonappdata}\hvdesk\machine-wide"""; Flags: runhidden; Tasks: machinewide
Filename: "{app}\hvdesk.exe"; Description: "Open hvdesk now"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote next to its files; never {localappdata} or {commonappdata}.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
