//! Build script: names the build (`LOGWEAVE_COMMIT`, `LOGWEAVE_BUILD_DATE`
//! for `--version` and Help > About); on Windows targets, compiles the
//! icon, the application manifest and the version information
//! (`packaging/windows/logweave.rc`) into `logweave.exe` and
//! `logweavew.exe`, and links the late-bound DWM calls
//! (`packaging/windows/late-bound/dwmapi.c`) so no exe imports dwmapi.dll.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows");
    build_identity();
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets the version");
    let mut numbers: Vec<&str> = version.split(['.', '-', '+']).take(3).collect();
    numbers.resize(4, "0");
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("packaging/windows");
    let template = std::fs::read_to_string(dir.join("logweave.rc")).expect("read logweave.rc");
    // The resource compiler gets literal values and absolute paths: no
    // quoting through its preprocessor's command line.
    let rc = template
        .replace("LW_VERSION_COMMAS", &numbers.join(","))
        .replace("LW_VERSION", &format!("\"{version}\""))
        .replace(
            "\"logweave.ico\"",
            &format!("\"{}\"", dir.join("logweave.ico").display()),
        )
        .replace(
            "\"logweave.exe.manifest\"",
            &format!("\"{}\"", dir.join("logweave.exe.manifest").display()),
        );
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets it")).join("logweave.rc");
    std::fs::write(&out, rc).expect("write the resource script");
    embed_resource::compile(&out, embed_resource::NONE)
        .manifest_required()
        .expect("compile the Windows resources");
    if std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu") {
        // Every reference to the two DWM calls (direct or through the
        // import slot) goes to the object's __wrap_ definitions instead.
        let mut wrap = Vec::new();
        for function in ["DwmSetWindowAttribute", "DwmEnableBlurBehindWindow"] {
            wrap.push(format!("--wrap={function}"));
            wrap.push(format!("--wrap=__imp_{function}"));
        }
        println!("cargo:rustc-link-arg-bins=-Wl,{}", wrap.join(","));
        let objects = cc::Build::new()
            .file(dir.join("late-bound/dwmapi.c"))
            .warnings(true)
            .compile_intermediates();
        for object in objects {
            println!("cargo:rustc-link-arg-bins={}", object.display());
        }
    }
}

/// The git commit the build is of (`unknown` outside a clone, or with
/// `LOGWEAVE_COMMIT` set by a packager) and its date: `SOURCE_DATE_EPOCH`
/// when set (reproducible builds), else the commit's date, else today.
fn build_identity() {
    println!("cargo:rerun-if-env-changed=LOGWEAVE_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit or a checkout changes HEAD or the ref it names.
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let commit = std::env::var("LOGWEAVE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| git(&["log", "-1", "--format=%ct"]).and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    println!("cargo:rustc-env=LOGWEAVE_COMMIT={commit}");
    println!("cargo:rustc-env=LOGWEAVE_BUILD_DATE={}", iso_date(seconds));
}

/// `YYYY-MM-DD` of a Unix time (UTC), by the civil-from-days algorithm.
fn iso_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
