//! A panic on the window's own thread (named `main`) ends the process, but
//! its report is kept in `panics.log` first: `logweavew.exe` has no console
//! to print it in.

#[test]
fn a_panic_on_the_main_thread_is_kept_in_panics_log() {
    let dir = tempfile::tempdir().unwrap();
    let panic_log = dir.path().join("settings").join("panics.log");
    logweave::jobs::report_job_panics_to(Some(panic_log.clone()));
    // The hook tells the window's thread by its name, which is all a test
    // can give a thread: the test harness runs tests on threads of their own.
    let outcome = std::thread::Builder::new()
        .name("main".to_owned())
        .spawn(|| panic!("the window's thread gave up"))
        .unwrap()
        .join();
    assert!(outcome.is_err(), "the thread panicked");
    let logged = std::fs::read_to_string(&panic_log).expect("panics.log written");
    assert!(logged.contains("\nthread: main\n"), "{logged}");
    assert!(
        logged.contains("\nmessage: the window's thread gave up\n"),
        "{logged}"
    );
    assert!(logged.contains("\nbacktrace:\n"), "{logged}");
}
