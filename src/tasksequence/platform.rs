//! Which deployment system ran the task sequence, from the log's own
//! evidence: ConfigMgr (a management point, the client's TSManager service,
//! `_SMSTaskSequence`), MDT Lite Touch standalone (`/env:SAStart`,
//! `TsManager.exe /standalone`, "non SMS, standalone mode", LiteTouch), or
//! ConfigMgr with the MDT toolkit (ConfigMgr plus ZTI scripts). Says
//! "unknown" rather than guess.

/// The system that ran the task sequence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Platform {
    /// Nothing in the log says.
    #[default]
    Unknown,
    /// Configuration Manager.
    ConfigMgr,
    /// Configuration Manager with MDT's toolkit (ZTI scripts).
    MdtIntegrated,
    /// MDT Lite Touch, standalone (no ConfigMgr).
    MdtStandalone,
}

impl Platform {
    /// `configmgr`, `mdt-integrated`, `mdt-standalone` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Unknown => "unknown",
            Platform::ConfigMgr => "configmgr",
            Platform::MdtIntegrated => "mdt-integrated",
            Platform::MdtStandalone => "mdt-standalone",
        }
    }

    /// For people: `ConfigMgr`, `ConfigMgr with MDT`, `MDT Lite Touch, standalone`.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Unknown => "system unknown",
            Platform::ConfigMgr => "ConfigMgr",
            Platform::MdtIntegrated => "ConfigMgr with MDT",
            Platform::MdtStandalone => "MDT Lite Touch, standalone",
        }
    }
}

/// What the records read so far say about the platform.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformEvidence {
    configmgr: bool,
    standalone: bool,
    mdt_scripts: bool,
}

impl PlatformEvidence {
    /// Reads one record's message.
    pub fn see(&mut self, message: &str) {
        let m = message.trim_start();
        if let Some(rest) = m
            .strip_prefix("Set a global environment variable ")
            .or_else(|| m.strip_prefix("Set a TS execution environment variable "))
        {
            let (name, value) = rest.split_once('=').unwrap_or((rest, ""));
            let value = value.to_ascii_lowercase();
            match name.trim() {
                // Only a ConfigMgr client talks to a management point.
                "_SMSTSMP" | "SMSTSMP" | "_SMSTSSiteCode" | "_SMSTSMPPort" => {
                    self.configmgr |= !value.trim().is_empty();
                }
                "_SMSTSMDataPath" => {
                    if value.contains("\\_smstasksequence") {
                        self.configmgr = true;
                    } else if value.contains("\\minint\\") {
                        self.standalone = true;
                    }
                }
                _ => {}
            }
            return;
        }
        if m.starts_with("TSManager executing in non SMS, standalone mode")
            || m.starts_with("Executing in non SMS standalone mode")
            || m.starts_with("Running Task Sequence in standalone")
        {
            self.standalone = true;
            return;
        }
        // Command lines only (lowercased: a few records of a log).
        let starts = |prefix: &str| {
            m.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        };
        let bootstrap = starts("command line:") || starts("commandline:");
        let executing =
            starts("executing command line:") || starts("start executing the command line:");
        if !bootstrap && !executing {
            return;
        }
        let lower = m.to_ascii_lowercase();
        if lower.contains("litetouch.wsf") || lower.contains("litetouch.vbs") {
            self.standalone = true;
        }
        if bootstrap {
            if lower.contains("/env:sastart") || lower.contains("tsmanager.exe\" /standalone") {
                self.standalone = true;
            }
            // The client's own copies, and ConfigMgr boot images' X:\sms\bin.
            if lower.contains("\\ccm\\tsmanager.exe")
                || lower.contains("\\ccm\\tsmbootstrap.exe")
                || lower.contains("x:\\sms\\bin\\")
            {
                self.configmgr = true;
            }
        }
        if executing && lower.contains("cscript") && lower.contains("\\zti") {
            self.mdt_scripts = true;
        }
    }

    /// The platform the evidence shows.
    pub fn platform(&self) -> Platform {
        match (self.standalone, self.configmgr, self.mdt_scripts) {
            (true, false, _) => Platform::MdtStandalone,
            (false, true, true) => Platform::MdtIntegrated,
            (false, true, false) => Platform::ConfigMgr,
            // Contradicting evidence, or none: do not guess.
            _ => Platform::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(lines: &[&str]) -> Platform {
        let mut e = PlatformEvidence::default();
        for l in lines {
            e.see(l);
        }
        e.platform()
    }

    #[test]
    fn each_system_from_its_own_lines_and_unknown_without_them() {
        assert_eq!(platform(&[]), Platform::Unknown);
        // TSManager runs as an exe under ConfigMgr too: that says nothing.
        assert_eq!(
            platform(&["Executing as a standalone exe"]),
            Platform::Unknown
        );
        assert_eq!(
            platform(&["Set a global environment variable _SMSTSMP=http://cm01.contoso.com"]),
            Platform::ConfigMgr
        );
        assert_eq!(
            platform(&[r"Set a global environment variable _SMSTSMDataPath=C:\_SMSTaskSequence"]),
            Platform::ConfigMgr
        );
        assert_eq!(
            platform(&[r#"Command line: "X:\Deploy\Tools\X64\TsmBootstrap.exe"  /env:SAStart"#]),
            Platform::MdtStandalone
        );
        assert_eq!(
            platform(&["TSManager executing in non SMS, standalone mode"]),
            Platform::MdtStandalone
        );
        assert_eq!(
            platform(&[
                "Set a global environment variable _SMSTSMP=http://cm01",
                r#"Executing command line: cscript.exe "%SCRIPTROOT%\ZTIGather.wsf" with options (0, 4)"#,
            ]),
            Platform::MdtIntegrated
        );
        assert_eq!(
            platform(&[
                "Set a global environment variable _SMSTSMP=http://cm01",
                "TSManager executing in non SMS, standalone mode",
            ]),
            Platform::Unknown
        );
    }
}
