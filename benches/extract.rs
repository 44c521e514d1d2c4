//! Single-core throughput of the per-file extraction (decode → normalize → segment → extract).
//!
//! ```text
//! cargo bench --bench extract -- [DIR] [--repeat N] [--files N]
//! ```
//!
//! Every file of `DIR` that the config's input filter accepts is loaded into memory first, so
//! only [`zonefacts::pipeline::process_timed`] is timed, on this one thread. Without `DIR` the
//! seed pages beside the repository (`../shared/seeds`) are used, repeated (default 300 times)
//! to give a stable time. `--files N` keeps the first N files (a slice for profilers).
//! The lexicon is built as `pipeline::run` builds it: `pipeline.toml` at the crate root.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use zonefacts::config::Config;
use zonefacts::discover::{discover, FileFilter};
use zonefacts::lexicon::Lexicon;
use zonefacts::pipeline::{process_timed, StageTimes};

struct Args {
    dir: Option<PathBuf>,
    repeat: Option<usize>,
    files: Option<usize>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        dir: None,
        repeat: None,
        files: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            // cargo bench passes --bench to harness = false targets
            "--bench" => {}
            "--repeat" | "--files" => {
                let v: usize = it
                    .next()
                    .with_context(|| format!("{a} needs a number"))?
                    .parse()
                    .with_context(|| format!("{a} needs a number"))?;
                if a == "--repeat" {
                    args.repeat = Some(v.max(1));
                } else {
                    args.files = Some(v);
                }
            }
            s if s.starts_with("--") => bail!("unknown option {s}"),
            s => args.dir = Some(PathBuf::from(s)),
        }
    }
    Ok(args)
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    if s > 0.0 {
        bytes as f64 / 1e6 / s
    } else {
        f64::INFINITY
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(&root.join("pipeline.toml"))?;
    let lex = Lexicon::from_config(&cfg)?;
    let filter = FileFilter::from_config(&cfg)?;
    let (dir, default_repeat) = match &args.dir {
        Some(d) => (d.clone(), 1),
        None => (root.join("../shared/seeds"), 300),
    };
    let repeat = args.repeat.unwrap_or(default_repeat);

    let (mut listed, _) = discover(&dir, &filter)?;
    if let Some(n) = args.files {
        listed.truncate(n);
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(listed.len());
    for f in &listed {
        let bytes =
            std::fs::read(&f.path).with_context(|| format!("cannot read {}", f.path.display()))?;
        files.push((f.rel_path.clone(), bytes));
    }
    let per_pass: usize = files.iter().map(|(_, b)| b.len()).sum();
    let total_bytes = per_pass * repeat;
    println!(
        "{} files, {:.1} MB, {} pass(es) from {}",
        files.len(),
        per_pass as f64 / 1e6,
        repeat,
        dir.display()
    );

    let mut stages = StageTimes::default();
    let (mut processed, mut rejected, mut articles, mut figures) = (0usize, 0usize, 0usize, 0usize);
    let clock = Instant::now();
    for _ in 0..repeat {
        for (rel, bytes) in &files {
            match process_timed(rel, bytes, &lex) {
                Ok((page, t)) => {
                    stages += t;
                    processed += 1;
                    articles += page.articles.len();
                    figures += page.articles.iter().map(|a| a.figures.len()).sum::<usize>();
                }
                Err(_) => rejected += 1,
            }
        }
    }
    let wall = clock.elapsed();
    let staged = stages.decode + stages.normalize + stages.segment + stages.extract;

    println!(
        "files {processed} processed, {rejected} rejected; articles {articles}; figures {figures}"
    );
    println!(
        "overall   {:>8.3} s  {:>8.1} MB/s  (wall, one thread)",
        wall.as_secs_f64(),
        mb_per_s(total_bytes, wall)
    );
    println!(
        "4 stages  {:>8.3} s  {:>8.1} MB/s",
        staged.as_secs_f64(),
        mb_per_s(total_bytes, staged)
    );
    for (name, d) in [
        ("decode", stages.decode),
        ("normalize", stages.normalize),
        ("segment", stages.segment),
        ("extract", stages.extract),
    ] {
        let share = if staged.as_secs_f64() > 0.0 {
            d.as_secs_f64() / staged.as_secs_f64() * 100.0
        } else {
            0.0
        };
        println!(
            "{name:<9} {:>8.3} s  {:>8.1} MB/s  {share:>5.1} %",
            d.as_secs_f64(),
            mb_per_s(total_bytes, d)
        );
    }
    Ok(())
}
