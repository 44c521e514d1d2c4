//! Fuzz target: the per-file function, bytes in, page (or rejection) out. It must never
//! panic, whatever the bytes: a panic here would be a file the nightly run cannot process.
//!
//!     cargo install cargo-fuzz
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run process_bytes -- -max_total_time=600 -max_len=65536
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zonefacts::config::Config;
use zonefacts::lexicon::Lexicon;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pipeline.toml");
    let cfg = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    Lexicon::from_config(&cfg).unwrap_or_else(|e| panic!("{e:#}"))
});

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = zonefacts::pipeline::process_bytes("fuzz.txt", data, &LEXICON) {
        // every figure's offsets must point into the decoded text
        for a in &page.articles {
            for f in &a.figures {
                assert!(f.span.start < f.span.end, "empty span");
            }
        }
    }
});
