//! Small value types shared by every part of the core: severities, how a
//! record's time was read, and per-severity counts.
//! Never does work: plain values only.

use serde::Serialize;

/// How bad a record is, as CMTrace colours it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Everything that is neither a warning nor an error (CCM `type="1"`, `0`, unknown).
    #[default]
    Info = 0,
    /// CCM `type="2"`, or plain text matching a warning keyword.
    Warning = 1,
    /// CCM `type="3"`, or plain text matching an error keyword.
    Error = 2,
}

impl Severity {
    /// All severities, mildest first.
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    /// The lower-case name used in CLI output (`info`, `warning`, `error`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub(crate) fn from_bits(bits: u8) -> Severity {
        match bits & 0b11 {
            1 => Severity::Warning,
            2 => Severity::Error,
            _ => Severity::Info,
        }
    }
}

/// How the time of a record was turned into UTC (formats.md §1.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZoneKind {
    /// Native ConfigMgr bias: UTC = local + bias minutes.
    Bias,
    /// East-positive offset (PSADT, PowerShell writers, ISO `+HH:MM`): UTC = local - offset.
    EastOffset,
    /// No usable zone: the wall-clock time of an unknown zone, taken as written.
    Local,
    /// The record (or file) has no time at all.
    #[default]
    None,
}

impl ZoneKind {
    /// The name used by `logweave stats` (`bias`, `east-offset`, `local`, `none`).
    pub fn name(self) -> &'static str {
        match self {
            ZoneKind::Bias => "bias",
            ZoneKind::EastOffset => "east-offset",
            ZoneKind::Local => "local",
            ZoneKind::None => "none",
        }
    }
}

/// Number of records of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Records that are neither warnings nor errors.
    pub info: u64,
    /// Warning records.
    pub warnings: u64,
    /// Error records.
    pub errors: u64,
}

impl SeverityCounts {
    /// Count one more record of `severity`.
    pub fn add(&mut self, severity: Severity) {
        *self.slot(severity) += 1;
    }

    /// Count one record fewer of `severity` (used when a provisional tail is dropped).
    pub fn remove(&mut self, severity: Severity) {
        let slot = self.slot(severity);
        *slot = slot.saturating_sub(1);
    }

    /// The count for one severity.
    pub fn get(&self, severity: Severity) -> u64 {
        match severity {
            Severity::Info => self.info,
            Severity::Warning => self.warnings,
            Severity::Error => self.errors,
        }
    }

    /// All records counted.
    pub fn total(&self) -> u64 {
        self.info + self.warnings + self.errors
    }

    fn slot(&mut self, severity: Severity) -> &mut u64 {
        match severity {
            Severity::Info => &mut self.info,
            Severity::Warning => &mut self.warnings,
            Severity::Error => &mut self.errors,
        }
    }
}

/// Which way to look from a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the end of the file.
    Forward,
    /// Towards the start of the file.
    Backward,
}
