//! What a task-sequence log states about the machine and the deployment,
//! for a ticket: the OS version the engine runs on, the task sequence's
//! package ID, the boot image, the deployment, the site and management
//! point, the computer's name. First value wins; values are as logged.

/// Facts in the order first seen.
#[derive(Clone, Debug, Default)]
pub(super) struct Facts {
    list: Vec<(String, String)>,
}

/// Variables worth a line, and what to call them.
const VARIABLES: &[(&str, &str)] = &[
    ("_SMSTSPackageName", "Task sequence"),
    ("_SMSTSPackageID", "Task sequence package ID"),
    ("_SMSTSAdvertID", "Deployment ID"),
    ("_SMSTSBootImageID", "Boot image ID"),
    ("_SMSTSSiteCode", "Site code"),
    ("_SMSTSMP", "Management point"),
    ("_SMSTSMachineName", "Computer name"),
    ("OSDComputerName", "New computer name"),
    ("_SMSTSClientGUID", "Client GUID"),
];

impl Facts {
    /// Reads one record's message.
    pub(super) fn see(&mut self, message: &str) {
        let m = message.trim_start();
        if let Some(version) = m.strip_prefix("Current OS version is ") {
            self.add("Engine's OS version", version.trim());
            return;
        }
        let Some(rest) = m
            .strip_prefix("Set a global environment variable ")
            .or_else(|| m.strip_prefix("Set a TS execution environment variable "))
        else {
            return;
        };
        let Some((name, value)) = rest.split_once('=') else {
            return;
        };
        if let Some((_, label)) = VARIABLES.iter().find(|(v, _)| *v == name.trim()) {
            self.add(label, value.trim());
        }
    }

    fn add(&mut self, label: &str, value: &str) {
        if !value.is_empty() && !self.list.iter().any(|(l, _)| l == label) {
            self.list.push((label.to_owned(), value.to_owned()));
        }
    }

    pub(super) fn into_list(self) -> Vec<super::Fact> {
        self.list
            .into_iter()
            .map(|(name, value)| super::Fact { name, value })
            .collect()
    }
}
