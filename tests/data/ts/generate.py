#!/usr/bin/env python3
"""Writes the hand-made smsts.log fixtures of tests/data/ts (task-sequence outline).

Every record is spelled out below with its own time, in the vocabulary of
formats.md §5 (CCM format, UTF-8 BOM, CRLF). Run it from anywhere; it rewrites
the fixtures next to this file. The tests pin exact step lists, codes and
durations, so change the expectations in src/tasksequence/tests.rs with them.

  success-reboot.log  ConfigMgr, WinPE (+480) -> reboot -> full OS (-60), completed
  failure.log         a continue-on-error failure, then a fatal one (+300)
  skipped.log         disabled and condition-false groups and steps (-60)
  mdt.log             MDT Lite Touch standalone, WinPE -> full OS, completed
  cm2012.log          ConfigMgr 2012 wording (quoted names, `Pointer:`), -660
  mid-sequence.log    ConfigMgr full OS, begun inside three groups (their entry is
                      in another copy): group end instructions with no group line,
                      a group skipped with no skip line, a nested group entered
                      and left, completed (-60)
  chain/...           success-reboot.log as the copies a machine keeps: the
                      _SMSTaskSequence copy (WinPE part), a rolled-over
                      smsts-YYYYMMDD-HHMMSS.log and the live smsts.log
  compare/a.log, b.log  two runs of one task sequence that differ
"""
import datetime as dt
import os

HERE = os.path.dirname(os.path.abspath(__file__))


class Log:
    def __init__(self, date, bias, thread=2412):
        self.t = dt.datetime.strptime(date, "%Y-%m-%d %H:%M:%S")
        self.bias = bias
        self.thread = thread
        self.lines = []
        self.log_path = r"X:\WINDOWS\TEMP\SMSTSLog"

    def at(self, clock):
        """Moves the clock to HH:MM:SS(.mmm) of the same day (forward only)."""
        fmt = "%H:%M:%S.%f" if "." in clock else "%H:%M:%S"
        c = dt.datetime.strptime(clock, fmt)
        new = self.t.replace(hour=c.hour, minute=c.minute, second=c.second, microsecond=c.microsecond)
        assert new >= self.t, (clock, self.t)
        self.t = new

    def tick(self, ms=15):
        self.t += dt.timedelta(milliseconds=ms)

    def w(self, component, message, kind=1, source="tsmanager.cpp:1", thread=None):
        ms = self.t.microsecond // 1000
        bias = f"{self.bias:+d}"
        self.lines.append(
            f'<![LOG[{message}]LOG]!><time="{self.t:%H:%M:%S}.{ms:03d}{bias}" '
            f'date="{self.t:%m-%d-%Y}" component="{component}" context="" type="{kind}" '
            f'thread="{thread or self.thread}" file="{source}">'
        )

    def var(self, name, value):
        self.w("TSManager", f"Set a global environment variable {name}={value}", source="environmentlib.cpp:1020")

    def text(self):
        return "\ufeff" + "\r\n".join(self.lines) + "\r\n"


# ---------------------------------------------------------------- building blocks


def bootstrap(log, env, exe, standalone=False):
    log.w("TSMBootstrap", "==============================[ TSMBootStrap.exe ]==============================", source="tsmbootstrap.cpp:1230")
    log.w("TSMBootstrap", f'Command line: "{exe}" /env:{env} /configpath:X:\\sms\\data\\ ', 0, "tsmbootstrap.cpp:1231")
    log.tick()
    if standalone:
        log.w("TSMBootstrap", "Running Task Sequence in standalone.", 0, "tsmbootstrap.cpp:554")
    log.w("TSMBootstrap", "Current OS version is 10.0.22621.0", source="util.cpp:3618")
    log.tick(200)
    log.w("TSManager", "==============================[ TSManager ]==============================", source="tsmanager.cpp:1")
    if standalone:
        log.w("TSManager", 'Commandline: "TsManager.exe" /standalone', 0)
        log.w("TSManager", "TSManager executing in non SMS, standalone mode")
        log.w("TSManager", "Executing as a standalone exe")
    else:
        log.w("TSManager", r"Commandline: C:\WINDOWS\CCM\TSManager.exe /service", 0)
        log.w("TSManager", "Successfully initialized Logging for Task Sequence Manager.")
    log.w("TSManager", "Starting Task Sequence Engine . . . ")
    log.var("SMSTSRebootRequested", "")


def start(log, name, pointer, stack=None, modern=True):
    if stack is not None:
        log.var("_SMSTSInstructionStackString", stack)
        log.w("TSManager", f"Set a TS execution environment variable _SMSTSInstructionStackString={stack}")
    log.var("_SMSTSLastActionRetryCount", "0")
    log.tick()
    if modern:
        log.w("TSManager", f"Start executing an instruction. Instruction name: {name}. Instruction pointer: {pointer}", source="engine.cxx:201")
    log.var("_SMSTSCurrentActionName", name)
    log.var("_SMSTSNextInstructionPointer", str(pointer))


def group_start(log, name, pointer, stack=None):
    start(log, name, pointer, stack)
    log.w("TSManager", f"The condition for the group ({name}) is evaluated to be true", source="engine.cxx:359")
    log.w("TSManager", f"The group ({name}) has been successfully started", source="engine.cxx:363")


def group_end(log, name, end_pointer, stack):
    start(log, name, end_pointer, stack)
    log.w("TSManager", f"The group ({name}) has been successfully completed", source="engine.cxx:392")


def command(log, cmd):
    log.w("TSManager", "Set a local default variable SMSTSRunCommandLineUserName")
    log.var("_SMSTSLogPath", log.log_path)
    log.w("TSManager", f"Expand a string: {cmd}")
    log.w("TSManager", f"Start executing the command line: {cmd}", source="commandline.cpp:1")
    log.w("TSManager", "!--------------------------------------------------------------------------------------------!")
    log.w("TSManager", f"Executing command line: {cmd} with options (0, 4)", source="commandline.cpp:819")


def success(log, name, code=0):
    log.w("TSManager", f"Process completed with exit code {code}", source="commandline.cpp:1124")
    log.w("TSManager", "!--------------------------------------------------------------------------------------------!")
    log.w("TSManager", f"Successfully completed the action ({name}) with the exit win32 code {code}", source="instruction.cxx:805")
    log.var("_SMSTSLastActionRetCode", str(code))
    log.var("_SMSTSLastActionName", name)
    log.var("_SMSTSLastActionSucceeded", "true")
    log.w("TSManager", "Clear local default environment")


def failure(log, name, hexcode, text, group=None):
    value = int(hexcode, 16)
    signed = value - (1 << 32) if value >= 1 << 31 else value
    log.w("TSManager", f"Process completed with exit code {value}", source="commandline.cpp:1124")
    log.w("TSManager", "!--------------------------------------------------------------------------------------------!")
    log.w("TSManager", f"Failed to run the action: {name}.\r\n{text} (Error: {hexcode}; Source: Windows)", 3, "instruction.cxx:895")
    log.var("_SMSTSLastActionRetCode", str(signed))
    log.var("_SMSTSLastActionName", name)
    log.var("_SMSTSLastActionSucceeded", "false")
    log.w("TSManager", "Clear local default environment")
    if group:
        log.w("TSManager", f"Let the parent group ({group}) decides whether to continue execution", source="instruction.cxx:962")


def work(log, component, clock, messages, source="osd.cpp:1"):
    """The step's own process: `messages` spread up to `clock`."""
    for m in messages:
        log.tick(400)
        log.w(component, m, source=source)
    log.at(clock)
    log.w(component, "Exiting with return code 0x00000000", source=source)


def step(log, name, pointer, stack, cmd, component, until, messages, code=0):
    start(log, name, pointer, stack)
    command(log, cmd)
    work(log, component, until, messages)
    success(log, name, code)


def end_success(log):
    log.tick()
    log.w("TSManager", "Task sequence completed 0x00000000", source="tsmanager.cpp:1410")
    log.w("TSManager", "Uninstalling Setup Hook")
    log.w("TSMBootstrap", "Exiting with return code 0x00000000", source="tsmbootstrap.cpp:1262")


# ---------------------------------------------------------------- fixtures


def success_reboot():
    log = Log("2026-11-03 09:00:00", 480)
    bootstrap(log, "WinPE", r"X:\sms\bin\x64\TsmBootstrap.exe")
    log.w("TSManager", "TSManager initialized environment for task sequence: Windows 11 Enterprise 24H2")
    log.var("_SMSTSPackageName", "Windows 11 Enterprise 24H2")
    log.var("_SMSTSInstructionTableSize", "12")
    log.at("09:00:05")
    group_start(log, "Install Operating System", 0)
    step(log, "Partition Disk 0 - UEFI", 1, "0", "osddiskpart.exe", "OSDDiskPart", "09:00:25",
         ["Creating partition 1 (EFI, 499 MB)", "Formatting C: (NTFS)"])
    log.log_path = r"C:\_SMSTaskSequence\Logs\Smstslog"
    step(log, "Apply Operating System", 2, "0", "OSDApplyOS.exe /image:ABC00012,1 /target:0-3", "ApplyOperatingSystem",
         "09:08:25", ["Applying image 1 of install.wim to C:\\", "Image applied successfully"])
    step(log, "Apply Windows Settings", 3, "0", "osdwinsettings.exe /config", "OSDWinSettings", "09:08:40",
         ["Configuring unattend.xml"])
    step(log, "Apply Device Drivers (Dell 7.4.108)", 4, "0", "osddriverclient.exe /auto", "OSDDriverClient", "09:14:00",
         ["Found 23 matching drivers", "Staged driver package ABC0004F"])
    # Setup Windows and ConfigMgr: starts in WinPE, reboots, finishes in the full OS.
    log.at("09:24:00")
    start(log, "Setup Windows and Configuration Manager", 5, "0")
    command(log, "osdsetupwindows.exe")
    log.tick(500)
    log.w("OSDSetupWindows", "Installing setup hook to C:\\Windows", source="setuphook.cpp:1")
    log.at("09:25:05")
    log.w("TSManager", "The action (Setup Windows and Configuration Manager) requested a retry", source="engine.cxx:590")
    log.w("TSManager", "Reboot to local harddisk", source="engine.cxx:660")
    log.w("TSManager", "Created volatile registry entry for pending reboot initiated by this task sequence")
    log.at("09:25:10")
    log.w("TSManager", "Calling RebootSystem()", source="utils.cpp:2760")
    # The full OS: the real bias, the wall clock goes on.
    log.bias = -60
    log.log_path = r"C:\WINDOWS\CCM\Logs\SMSTSLog"
    log.at("09:31:40")
    log.w("OSDSetupHook", "Update reboot count", source="setuphook.cpp:1")
    log.w("OSDSetupHook", "Executing task sequence manager bootstrap", source="setuphook.cpp:1")
    log.w("OSDSetupHook", r"Launch C:\WINDOWS\CCM\TSMBootStrap.exe /env:Gina /configpath:C:\_SMSTaskSequence /bootcount:1", source="setuphook.cpp:1")
    log.w("OSDSetupHook", r"Successfully moved logs to SMS client log directory: C:\WINDOWS\CCM\Logs\SMSTSLog", source="setuphook.cpp:1")
    log.at("09:31:45")
    bootstrap(log, "Gina", r"C:\WINDOWS\CCM\TSMBootStrap.exe")
    log.at("09:32:00")
    start(log, "Setup Windows and Configuration Manager", 5, "0")
    command(log, "osdsetupwindows.exe")
    work(log, "OSDSetupWindows", "09:33:00", ["Windows setup completed", "ConfigMgr client installed"])
    success(log, "Setup Windows and Configuration Manager")
    group_end(log, "Install Operating System", 6, "0")
    log.at("09:33:10")
    group_start(log, "Install Software", 7, "")
    log.var("_SMSTSInWinPE", "false")
    step(log, "Run PowerShell Script - Set Time Zone", 8, "7", "PowerShell.exe -NoProfile -ExecutionPolicy Bypass -File SetTZ.ps1",
         "RunPowerShellScript", "09:33:20", ["Time zone set to W. Europe Standard Time"])
    step(log, "Install Microsoft 365 Apps", 9, "7",
         "smsappinstall.exe /app:ScopeId_1/Application_2 /basevar: /continueOnError:False", "InstallApplication",
         "09:45:20", ["Installing Microsoft 365 Apps for enterprise", "Installation job completed with exit code 0x00000000"])
    group_end(log, "Install Software", 10, "7")
    log.at("09:46:00")
    step(log, "Copy Logs", 11, "", r"cmd.exe /c copy C:\Windows\Temp\*.log \\server\logs", "SMSTSRunCommandLine", "09:46:30",
         ["4 file(s) copied."])
    end_success(log)
    return log


def failure_fixture():
    log = Log("2026-10-14 13:10:00", 300, thread=5120)
    log.log_path = r"C:\WINDOWS\CCM\Logs\SMSTSLog"
    bootstrap(log, "Gina", r"C:\WINDOWS\CCM\TSMBootStrap.exe")
    log.w("TSManager", "TSManager initialized environment for task sequence: Deploy Line-of-Business Apps")
    log.var("_SMSTSInstructionTableSize", "5")
    log.at("13:10:10")
    group_start(log, "Applications", 0)
    start(log, "Install Contoso VPN 7.4.108", 1, "0")
    command(log, "smsappinstall.exe /app:ScopeId_1/Application_7 /basevar: /continueOnError:True")
    log.tick(500)
    log.w("InstallApplication", "Installation job completed with exit code 0x80070643", 3, "installapplication.cpp:1")
    log.at("13:12:10")
    failure(log, "Install Contoso VPN 7.4.108", "80070643", "Fatal error during installation.", "Applications")
    step(log, "Install Notepad++ 8.6 (x64)", 2, "0", "smsappinstall.exe /app:ScopeId_1/Application_9 /basevar: /continueOnError:False",
         "InstallApplication", "13:13:00", ["Installation job completed with exit code 0x00000000"])
    log.at("13:13:05")
    start(log, "Run PowerShell Script - Configure Firewall", 3, "0")
    command(log, "PowerShell.exe -NoProfile -ExecutionPolicy Bypass -File Firewall.ps1")
    log.tick(900)
    log.w("RunPowerShellScript", "Set-NetFirewallRule : No MSFT_NetFirewallRule objects found", 3, "runpowershellscript.cpp:1")
    log.at("13:13:30")
    failure(log, "Run PowerShell Script - Configure Firewall", "00000001", "Incorrect function.", "Applications")
    log.tick()
    log.w("TSManager", "The execution of the group (Applications) has failed and the execution has been aborted. An action failed.\r\nOperation aborted (Error: 80004004; Source: Windows)", 3, "engine.cxx:255")
    log.w("TSManager", "Failed to run the last action: Run PowerShell Script - Configure Firewall. Execution of task sequence failed.\r\nIncorrect function. (Error: 00000001; Source: Windows)", 3, "engine.cxx:259")
    log.w("TSManager", "Task Sequence Engine failed! Code: enExecutionFail", 3, "tsmanager.cpp:926")
    log.w("TSManager", "Task sequence execution failed with error code 80004005", 3, "tsmanager.cpp:1423")
    log.w("TSMBootstrap", "Exiting with return code 0x80004005", source="tsmbootstrap.cpp:1262")
    return log


def skipped_fixture():
    log = Log("2026-09-01 08:00:00", -60)
    log.log_path = r"C:\WINDOWS\CCM\Logs\SMSTSLog"
    bootstrap(log, "Gina", r"C:\WINDOWS\CCM\TSMBootStrap.exe")
    log.w("TSManager", "TSManager initialized environment for task sequence: Configure Workstation")
    log.at("08:00:10")
    step(log, "Gather", 0, "", "cscript.exe Gather.vbs", "SMSTSRunCommandLine", "08:00:20", ["Gathered 42 properties"])
    # A disabled group is not entered.
    log.tick()
    log.w("TSManager", "The group (Temp drivers) has been skipped because it is disabled", source="engine.cxx:340")
    # A group whose condition is false is entered, then skipped.
    start(log, "Install VMware Tools", 4, "")
    log.w("TSManager", "The group (Install VMware Tools) has been skipped because the condition is evaluated to be false", source="engine.cxx:346")
    log.w("TSManager", "Execution of the instruction (Install VMware Tools) has been skipped", source="engine.cxx:300")
    log.at("08:00:21")
    group_start(log, "Configure", 7, "")
    start(log, "Enable BitLocker (Offline)", 8, "7")
    log.w("TSManager", "The action (Enable BitLocker (Offline)) has been skipped because the condition is evaluated to be false", source="engine.cxx:346")
    log.w("TSManager", "Execution of the instruction (Enable BitLocker (Offline)) has been skipped", source="engine.cxx:300")
    log.tick()
    log.w("TSManager", "The action (Apply Branding) is disabled", source="engine.cxx:340")
    step(log, "Set Power Plan", 10, "7", "powercfg.exe /s SCHEME_MIN", "SMSTSRunCommandLine", "08:00:25", ["Power plan set"])
    group_end(log, "Configure", 11, "7")
    end_success(log)
    return log


def mdt_step(log, name, pointer, stack, script, until, messages):
    log.w("TSManager", "Executing in non SMS standalone mode. Ignoring send a task execution status message request")
    start(log, name, pointer, stack)
    command(log, f'cscript.exe "%SCRIPTROOT%\\{script}"')
    for m in messages:
        log.tick(700)
        log.w("TSManager", m)
    log.at(until)
    success(log, name)


def mdt_fixture():
    log = Log("2026-08-20 16:53:52", 480, thread=1876)
    log.w("TSMBootstrap", "Used smsts.ini to set logging settings.", source="tslogging.cpp:1457")
    bootstrap(log, "SAStart", r"X:\Deploy\Tools\X64\TsmBootstrap.exe", standalone=True)
    log.at("16:54:00")
    log.w("TSManager", "Executing in non SMS standalone mode. Ignoring send a task execution status message request")
    group_start(log, "Initialization", 0)
    mdt_step(log, "Gather local only", 1, "0", "ZTIGather.wsf", "16:54:10", ["Property TaskSequenceID is now = WIN11"])
    group_end(log, "Initialization", 2, "0")
    group_start(log, "Install", 3, "")
    mdt_step(log, "Install Operating System", 4, "3", "LTIApply.wsf", "17:02:10", ["Applying image"])
    group_end(log, "Install", 5, "3")
    log.w("TSManager", "Executing in non SMS standalone mode. Ignoring send a task execution status message request")
    start(log, "Restart computer", 6, "")
    command(log, "smsboot.exe /target:HD")
    log.w("Reboot", "SMSTSRebootDelay=0", source="reboot.cpp:1")
    log.w("Reboot", "SMSTSRebootMessage=", source="reboot.cpp:1")
    log.w("Reboot", "SMSTSRebootRequested=HD", source="reboot.cpp:1")
    success(log, "Restart computer")
    log.w("TSManager", "Reboot to local harddisk", source="engine.cxx:660")
    log.w("TSManager", "Calling RebootSystem()", source="utils.cpp:2760")
    # After the reboot MDT's LiteTouch.wsf restarts the engine from C:.
    log.bias = -60
    log.log_path = r"C:\MININT\SMSOSD\OSDLOGS"
    log.at("17:06:30")
    bootstrap(log, "SAContinue", r"C:\MININT\Tools\X64\TsmBootstrap.exe", standalone=True)
    log.at("17:06:40")
    log.w("TSManager", "Executing in non SMS standalone mode. Ignoring send a task execution status message request")
    group_start(log, "State Restore", 7, "")
    mdt_step(log, "Windows Update (Pre-Application Installation)", 8, "7", "ZTIWindowsUpdate.wsf", "17:16:40",
             ["Windows Update: 3 updates installed"])
    mdt_step(log, "Install Applications", 9, "7", "ZTIApplications.wsf", "17:20:00", ["Application Microsoft Edge installed"])
    group_end(log, "State Restore", 10, "7")
    log.tick()
    log.w("TSMBootstrap", "Exiting with return code 0x00000000", source="tsmbootstrap.cpp:1262")
    return log


def cm2012_fixture():
    log = Log("2012-11-27 10:55:00", -660, thread=1432)
    log.log_path = r"X:\WINDOWS\TEMP\SMSTSLog"
    bootstrap(log, "WinPE", r"X:\sms\bin\i386\TsmBootstrap.exe")

    def old_start(name, pointer, kind, disabled=0):
        log.tick()
        log.w("TSManager", f"Start executing an instruction. Instruction name: '{name}'. Pointer: {pointer}. Type: '{kind}'. Disabled: {disabled}", source="engine.cxx:200")
        log.var("_SMSTSCurrentActionName", name)

    def old_step(name, pointer, kind, component, until):
        old_start(name, pointer, kind)
        command(log, f"{component}.exe")
        work(log, component, until, ["working"])
        log.w("TSManager", "Process completed with exit code 0", source="commandline.cpp:1124")
        log.w("TSManager", f"Successfully complete the action ({name}) with the exit win32 code 0", source="instruction.cxx:805")
        log.var("_SMSTSLastActionRetCode", "0")
        log.var("_SMSTSLastActionSucceeded", "true")

    log.at("10:55:10")
    old_start("Install Windows", 0, "SMS_TaskSequence_Group")
    log.w("TSManager", "The group (Install Windows) has been successfully started", source="engine.cxx:363")
    old_step("Partition Disk 0", 1, "SMS_TaskSequence_PartitionDiskAction", "OSDDiskPart", "10:55:40")
    old_start("Apply Data Image 1", 2, "SMS_TaskSequence_ApplyDataImageAction", 1)
    log.w("TSManager", "Execution of the instruction (Apply Data Image 1) has been skipped", source="engine.cxx:300")
    old_step("Apply Operating System", 3, "SMS_TaskSequence_ApplyOperatingSystemAction", "ApplyOperatingSystem", "11:05:40")
    log.tick()
    log.w("TSManager", "The group (Install Windows) has been successfully completed", source="engine.cxx:392")
    return log


def compare_run(b):
    """One run of `Refresh Apps`; `b` is the second run, which differs."""
    log = Log("2026-11-10 14:00:00" if not b else "2026-11-12 09:00:00", 300, thread=3344 if not b else 6120)
    log.log_path = r"C:\WINDOWS\CCM\Logs\SMSTSLog"
    day = lambda clock: clock if not b else f"{int(clock[:2]) - 14 + 9:02d}{clock[2:]}"
    bootstrap(log, "Gina", r"C:\WINDOWS\CCM\TSMBootStrap.exe")
    log.w("TSManager", "TSManager initialized environment for task sequence: Refresh Apps")
    log.at(day("14:00:05"))
    group_start(log, "Apps", 0)
    step(log, "Gather", 1, "0", "cscript.exe Gather.vbs", "SMSTSRunCommandLine", day("14:00:15"), ["Gathered 40 properties"])
    step(log, "Install 7-Zip 23.01", 2, "0", "smsappinstall.exe /app:ScopeId_1/Application_3 /basevar: /continueOnError:False",
         "InstallApplication", day("14:01:00"), ["Installation job completed with exit code 0x00000000"])
    start(log, "Install Contoso VPN 7.4.108", 3, "0")
    command(log, "smsappinstall.exe /app:ScopeId_1/Application_7 /basevar: /continueOnError:True")
    if not b:
        work(log, "InstallApplication", day("14:02:00"), ["Installation job completed with exit code 0x00000000"])
        success(log, "Install Contoso VPN 7.4.108")
    else:
        log.tick(500)
        log.w("InstallApplication", "Installation job completed with exit code 0x80070643", 3, "installapplication.cpp:1")
        log.at(day("14:02:00"))
        failure(log, "Install Contoso VPN 7.4.108", "80070643", "Fatal error during installation.", "Apps")
    pointer = 4
    if b:
        step(log, "Install Zoom 6.0 (x64)", pointer, "0", "smsappinstall.exe /app:ScopeId_1/Application_12 /basevar: /continueOnError:False",
             "InstallApplication", day("14:02:40"), ["Installation job completed with exit code 0x00000000"])
        pointer += 1
    log.at(day("14:03:00"))
    # Teams: 30 s in run A, 12 minutes in run B.
    step(log, "Install Microsoft Teams", pointer, "0", "smsappinstall.exe /app:ScopeId_1/Application_5 /basevar: /continueOnError:False",
         "InstallApplication", day("14:03:30") if not b else day("14:15:00"), ["Installation job completed with exit code 0x00000000"])
    group_end(log, "Apps", pointer + 1, "0")
    log.at(day("14:16:00"))
    step(log, "Apply Branding", pointer + 2, "", r"cmd.exe /c reg import branding.reg", "SMSTSRunCommandLine", day("14:16:05"),
         ["The operation completed successfully."])
    end_success(log)
    return log


def mid_sequence_fixture():
    log = Log("2026-11-05 10:00:00", -60, thread=3312)
    log.log_path = r"C:\WINDOWS\CCM\Logs\SMSTSLog"
    bootstrap(log, "Gina", r"C:\WINDOWS\CCM\TSMBootStrap.exe")
    log.w("TSManager", "TSManager initialized environment for task sequence: Windows 11 Enterprise 24H2")
    log.var("_SMSTSMP", "http://cm01.contoso.com")
    log.var("_SMSTSInstructionTableSize", "58")
    log.at("10:00:05")
    # Inside State Restore (0) > Applications (18) > Core apps (41) already.
    step(log, "Install Microsoft 365 Apps", 43, "0 18 41", "smsappinstall.exe /app:ScopeId_1/Application_3 /basevar: /continueOnError:",
         "InstallApplication", "10:04:00", ["Installation job completed with exit code 0x00000000"])
    step(log, "Install Company Portal", 44, "0 18 41", "smsappinstall.exe /app:ScopeId_1/Application_5 /basevar: /continueOnError:",
         "InstallApplication", "10:05:00", ["Installation job completed with exit code 0x00000000"])
    # The end instruction of Core apps: the stack that follows is shorter.
    log.tick()
    start(log, "Core apps", 45, "0 18 41")
    # A group whose condition is false: the next start is four pointers on.
    log.tick()
    start(log, "Optional apps", 46, "0 18")
    log.tick()
    start(log, "Browsers", 50)
    step(log, "Install Microsoft Edge", 51, "0 18 50", "smsappinstall.exe /app:ScopeId_1/Application_8 /basevar: /continueOnError:",
         "InstallApplication", "10:06:00", ["Installation job completed with exit code 0x00000000"])
    log.tick()
    start(log, "Browsers", 52, "0 18 50")
    step(log, "Configure Start layout", 53, "0 18", "cmd.exe /c copy /y LayoutModification.json C:\\Users\\Default",
         "SMSTSRunCommandLine", "10:06:10", ["1 file(s) copied."])
    log.tick()
    start(log, "Applications", 54, "0 18")
    step(log, "Copy Logs", 55, "0", "cmd.exe /c xcopy %_SMSTSLogPath% \\\\fs01\\logs /s",
         "SMSTSRunCommandLine", "10:06:30", ["14 File(s) copied"])
    log.tick()
    start(log, "State Restore", 56, "0")
    log.tick()
    log.var("_SMSTSInstructionStackString", "")
    log.var("_SMSTSNextInstructionPointer", "58")
    end_success(log)
    return log


def write(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def chain(log):
    """The copies one machine keeps of success-reboot.log."""
    lines = log.lines
    last_winpe = max(i for i, l in enumerate(lines) if "Calling RebootSystem()" in l)
    rolled_at = next(i for i, l in enumerate(lines) if "Run PowerShell Script - Set Time Zone. Instruction pointer" in l)
    stamp = lines[rolled_at - 1].split('time="')[1][:8].replace(":", "")
    bom = "\ufeff"
    write("chain/_SMSTaskSequence/Logs/Smstslog/smsts.log", bom + "\r\n".join(lines[: last_winpe + 1]) + "\r\n")
    write(f"chain/Windows/CCM/Logs/SMSTSLog/smsts-20261103-{stamp}.log", bom + "\r\n".join(lines[:rolled_at]) + "\r\n")
    write("chain/Windows/CCM/Logs/SMSTSLog/smsts.log", bom + "\r\n".join(lines[rolled_at:]) + "\r\n")


def main():
    ok = success_reboot()
    write("success-reboot.log", ok.text())
    chain(ok)
    write("failure.log", failure_fixture().text())
    write("skipped.log", skipped_fixture().text())
    write("mdt.log", mdt_fixture().text())
    write("cm2012.log", cm2012_fixture().text())
    write("mid-sequence.log", mid_sequence_fixture().text())
    write("compare/a.log", compare_run(False).text())
    write("compare/b.log", compare_run(True).text())


if __name__ == "__main__":
    main()
