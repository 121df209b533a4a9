//! The embedded error-code tables: `resources/errors/names.tsv` (symbolic
//! names and values generated from Microsoft's win32metadata) and
//! `resources/errors/curated.tsv` (codes deployment admins meet, with
//! meanings written by the LogWeave authors and a source per row).
//! Never parses a code a user typed: that is `errors`.

use std::sync::OnceLock;

/// What kind of code a curated row describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// A Win32 error code.
    Win32,
    /// An HRESULT.
    Hresult,
    /// An NTSTATUS.
    Ntstatus,
    /// Configuration Manager (0x87Dxxxxx).
    ConfigMgr,
    /// Windows Update Agent (0x8024xxxx).
    Wua,
    /// Background Intelligent Transfer Service.
    Bits,
    /// WinHTTP / WinINet (12xxx).
    WinHttp,
    /// Windows Installer exit code.
    Msi,
    /// Component-based servicing, DISM (0x800F08xx).
    Cbs,
    /// Delivery Optimization (0x80D0xxxx).
    DeliveryOptimization,
    /// Windows Setup / upgrade (0xC190xxxx).
    Setup,
    /// MDM enrollment (0x8018xxxx).
    Mdm,
    /// Intune Management Extension, Autopilot, ESP.
    Intune,
    /// WMI (0x8004xxxx WBEM).
    Wmi,
    /// A process exit code.
    Exit,
}

impl CodeKind {
    /// Reads the `kind` column.
    pub fn parse(text: &str) -> Option<CodeKind> {
        Some(match text {
            "win32" => CodeKind::Win32,
            "hresult" => CodeKind::Hresult,
            "ntstatus" => CodeKind::Ntstatus,
            "configmgr" => CodeKind::ConfigMgr,
            "wua" => CodeKind::Wua,
            "bits" => CodeKind::Bits,
            "winhttp" => CodeKind::WinHttp,
            "msi" => CodeKind::Msi,
            "cbs" => CodeKind::Cbs,
            "do" => CodeKind::DeliveryOptimization,
            "setup" => CodeKind::Setup,
            "mdm" => CodeKind::Mdm,
            "intune" => CodeKind::Intune,
            "wmi" => CodeKind::Wmi,
            "exit" => CodeKind::Exit,
            _ => return None,
        })
    }

    /// How the kind is shown.
    pub fn label(self) -> &'static str {
        match self {
            CodeKind::Win32 => "Win32 error",
            CodeKind::Hresult => "HRESULT",
            CodeKind::Ntstatus => "NTSTATUS",
            CodeKind::ConfigMgr => "Configuration Manager",
            CodeKind::Wua => "Windows Update Agent",
            CodeKind::Bits => "BITS",
            CodeKind::WinHttp => "WinHTTP / WinINet",
            CodeKind::Msi => "Windows Installer",
            CodeKind::Cbs => "Servicing (CBS/DISM)",
            CodeKind::DeliveryOptimization => "Delivery Optimization",
            CodeKind::Setup => "Windows Setup",
            CodeKind::Mdm => "MDM enrollment",
            CodeKind::Intune => "Intune",
            CodeKind::Wmi => "WMI",
            CodeKind::Exit => "Exit code",
        }
    }
}

/// A row of `curated.tsv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CuratedRow {
    /// The 32-bit value.
    pub value: u32,
    /// What kind of code it is.
    pub kind: CodeKind,
    /// Published symbolic name, if any.
    pub name: Option<String>,
    /// Meaning, in our words.
    pub meaning: String,
    /// Where the code is documented.
    pub source: String,
    /// Where admins meet it (`ts`, `app`, `wu`, `msi` …).
    pub contexts: Vec<String>,
}

/// A row of `names.tsv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameRow {
    /// The 32-bit value.
    pub value: u32,
    /// The metadata type (`HRESULT`, `WIN32_ERROR`, `NTSTATUS` …).
    pub type_name: String,
    /// Symbolic name.
    pub name: String,
    /// Metadata namespace.
    pub namespace: String,
}

/// Both tables, sorted by value.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    curated: Vec<CuratedRow>,
    names: Vec<NameRow>,
}

fn parse_value(text: &str) -> Option<u32> {
    u32::from_str_radix(text.strip_prefix("0x")?, 16).ok()
}

fn data_lines(tsv: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    tsv.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|(n, l)| (n + 1, l.split('\t').collect()))
}

impl Tables {
    /// Reads both tables; a malformed row is an error naming its line.
    pub fn parse(names_tsv: &str, curated_tsv: &str) -> Result<Tables, String> {
        let mut names = Vec::new();
        for (line, cols) in data_lines(names_tsv) {
            let [value, type_name, name, namespace] = cols[..] else {
                return Err(format!("names.tsv line {line}: expected 4 columns"));
            };
            let value =
                parse_value(value).ok_or_else(|| format!("names.tsv line {line}: bad value"))?;
            names.push(NameRow {
                value,
                type_name: type_name.into(),
                name: name.into(),
                namespace: namespace.into(),
            });
        }
        let mut curated = Vec::new();
        for (line, cols) in data_lines(curated_tsv) {
            let [value, kind, name, meaning, source, contexts] = cols[..] else {
                return Err(format!("curated.tsv line {line}: expected 6 columns"));
            };
            let value =
                parse_value(value).ok_or_else(|| format!("curated.tsv line {line}: bad value"))?;
            let kind = CodeKind::parse(kind)
                .ok_or_else(|| format!("curated.tsv line {line}: unknown kind '{kind}'"))?;
            curated.push(CuratedRow {
                value,
                kind,
                name: (!name.trim().is_empty()).then(|| name.trim().to_owned()),
                meaning: meaning.trim().to_owned(),
                source: source.trim().to_owned(),
                contexts: contexts
                    .split(',')
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect(),
            });
        }
        names.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
        curated.sort_by_key(|r| r.value);
        Ok(Tables { curated, names })
    }

    /// The tables built into the executable.
    pub fn builtin() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            Tables::parse(
                include_str!("../../resources/errors/names.tsv"),
                include_str!("../../resources/errors/curated.tsv"),
            )
            .expect("the embedded error tables are checked by tests")
        })
    }

    /// Curated rows for a value.
    pub fn curated(&self, value: u32) -> impl Iterator<Item = &CuratedRow> {
        let start = self.curated.partition_point(|r| r.value < value);
        self.curated[start..]
            .iter()
            .take_while(move |r| r.value == value)
    }

    /// Generated name rows for a value.
    pub fn names(&self, value: u32) -> impl Iterator<Item = &NameRow> {
        let start = self.names.partition_point(|r| r.value < value);
        self.names[start..]
            .iter()
            .take_while(move |r| r.value == value)
    }

    /// Number of curated rows and of name rows.
    pub fn sizes(&self) -> (usize, usize) {
        (self.curated.len(), self.names.len())
    }

    /// The value of a symbolic name (e.g. `E_ACCESSDENIED`), for lookups by name.
    pub fn value_of(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| r.value)
            .or_else(|| {
                self.curated
                    .iter()
                    .find(|r| {
                        r.name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .map(|r| r.value)
            })
    }
}
