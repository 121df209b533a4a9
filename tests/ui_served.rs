//! File > Open remote, driven headlessly through egui_kittest against a
//! real `logweave serve` child on loopback (reached through a relay the
//! test can cut): the address typed, the served files listed with
//! smsts.log ticked, the log opened in a tab and followed live, a lost
//! network said as "connection … lost … retrying" with the rows kept, and
//! the records written meanwhile read once the network is back.
#![cfg(feature = "gui")]

#[path = "support/churn.rs"]
mod churn;
#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/served.rs"]
mod served;

use std::io::Write;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use logweave::gui::{Command, Settings, Tab};
use logweave::remote::RemoteAddress;
use served::Served;

mod common;
use common::{harness, settle, text_input};

const ADDRESS_BOX: &str = "https://HOST:PORT/#TOKEN&pin=sha256:…";

fn record_count(app: &logweave::gui::LogWeaveApp) -> usize {
    match app.tabs.first() {
        Some(Tab::Log(tab)) => tab.doc().record_count(),
        _ => 0,
    }
}

fn problem(app: &logweave::gui::LogWeaveApp) -> Option<String> {
    match app.tabs.first() {
        Some(Tab::Log(tab)) => tab.doc().problem().map(|p| p.to_string()),
        _ => None,
    }
}

#[test]
fn open_remote_lists_the_served_logs_and_follows_one_across_a_lost_network() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(logs.join("SMSTSLog")).unwrap();
    let log = logs.join("SMSTSLog").join("smsts.log");
    let text: String = (0..5)
        .map(|i| churn::ccm(i, &format!("record {i}"), if i == 3 { 3 } else { 1 }))
        .collect();
    std::fs::write(&log, text).unwrap();
    std::fs::write(logs.join("AppEnforce.log"), churn::ccm(0, "other", 1)).unwrap();
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, "Deployment-Token-2026-window").unwrap();
    let server = Served::start(&logs, &token_file, &[]);
    let printed = server.address.clone();
    let address = RemoteAddress::parse(&printed).unwrap();
    let mut relay = proxy::Relay::start(
        format!("{}:{}", address.host, address.port)
            .parse()
            .unwrap(),
    );
    let through_relay = printed.replace(
        &format!(":{}/", address.port),
        &format!(":{}/", relay.port()),
    );

    let (without_pin, _) = through_relay.split_once("&pin=").unwrap();
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    h.state_mut().request(Command::OpenRemote);
    h.run_steps(3);
    h.get_by_label("Open remote");
    let edit = text_input(&h, ADDRESS_BOX);
    edit.focus();
    // Without the pin: nothing is sent until the certificate offered is trusted.
    edit.type_text(without_pin);
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Connect").click();
    h.run_steps(2);
    let connected = |app: &logweave::gui::LogWeaveApp| {
        !app.served.is_connecting() && (app.served.served.is_some() || app.served.problem.is_some())
    };
    settle(&mut h, "the refused connection", connected);
    h.run_steps(2);
    assert_eq!(
        h.state().served.offered,
        address.pin,
        "{:?}",
        h.state().served.problem
    );
    h.get_by_label(&address.pin.unwrap().colons());
    h.get_by_role_and_label(Role::Button, "Trust this certificate")
        .click();
    h.run_steps(2);
    settle(&mut h, "the connection", |app| {
        connected(app) && app.served.offered.is_none()
    });
    h.run_steps(2);
    assert_eq!(h.state().served.problem, None);
    assert_eq!(h.state().served.address, through_relay);
    let served = h.state().served.served.as_ref().unwrap();
    assert_eq!(served.files.len(), 2);
    let ticked: Vec<&str> = served
        .files
        .iter()
        .zip(&served.ticked)
        .filter(|(_, t)| **t)
        .map(|(f, _)| f.id.as_str())
        .collect();
    assert_eq!(ticked, ["0/SMSTSLog/smsts.log"]);
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run_steps(2);
    settle(&mut h, "the served log", |app| record_count(app) == 5);
    h.run_steps(2);
    h.get_by_label_contains("record 3");

    // Followed live.
    let mut writer = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    writer
        .write_all(churn::ccm(5, "record 5", 2).as_bytes())
        .unwrap();
    settle(&mut h, "the appended record", |app| record_count(app) == 6);

    // The network goes away: the rows stay, the tab says it retries.
    relay.cut();
    writer
        .write_all(churn::ccm(6, "record 6", 1).as_bytes())
        .unwrap();
    settle(&mut h, "the lost connection", |app| problem(app).is_some());
    h.run_steps(2);
    let said = problem(h.state()).unwrap();
    assert!(said.contains("lost") && said.contains("retrying"), "{said}");
    h.get_by_label_contains("retrying");
    assert_eq!(record_count(h.state()), 6);

    // It comes back: what was written meanwhile is read, once.
    relay.restore();
    writer
        .write_all(churn::ccm(7, "record 7", 1).as_bytes())
        .unwrap();
    settle(&mut h, "the records written meanwhile", |app| {
        record_count(app) == 8 && problem(app).is_none()
    });
    let Some(Tab::Log(tab)) = h.state().tabs.first() else {
        panic!("no tab");
    };
    let messages: Vec<String> = tab
        .doc()
        .rows(0..8, None)
        .into_iter()
        .map(|r| r.fields.message)
        .collect();
    let expected: Vec<String> = (0..8).map(|i| format!("record {i}")).collect();
    assert_eq!(messages, expected);
    drop(server);
}
