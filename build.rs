//! Build script: on Windows targets, compiles the icon, the application
//! manifest and the version information (`packaging/windows/logweave.rc`)
//! into `logweave.exe` and `logweavew.exe`, and links the late-bound DWM
//! calls (`packaging/windows/late-bound/dwmapi.c`) so no exe imports
//! dwmapi.dll. Does nothing for other targets.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows");
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
