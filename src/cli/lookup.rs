//! `logweave lookup CODE`: every interpretation of an error code.
//! Never opens a log; prints what `errors` knows.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use logweave::errors::{self, Tables};

pub fn run(code: &str, json: bool) -> io::Result<ExitCode> {
    let interpretations = match errors::lookup_everywhere(Tables::builtin(), code) {
        Ok(found) => found,
        Err(e) => {
            let _ = writeln!(io::stderr(), "logweave: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (i, found) in interpretations.iter().enumerate() {
        if json {
            serde_json::to_writer(&mut out, found)?;
            writeln!(out)?;
            continue;
        }
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}  (signed {}, unsigned {})",
            found.hex, found.signed, found.unsigned
        )?;
        writeln!(out, "  name      {}", found.name.as_deref().unwrap_or("-"))?;
        writeln!(out, "  facility  {}", found.facility)?;
        writeln!(
            out,
            "  meaning   {}",
            found.meaning.as_deref().unwrap_or("-")
        )?;
        writeln!(out, "  source    {}", found.source)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
