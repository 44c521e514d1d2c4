//! `zonefacts schema`: the data dictionary, from the definitions the writer uses, with the
//! `measure_key` taxonomy and the `stat` values of the configuration in use.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{exit, SchemaArgs, SchemaFormat};
use crate::config::Config;
use crate::schema;

/// Prints the schema.
pub fn execute(config: &Option<PathBuf>, args: &SchemaArgs) -> Result<i32> {
    let cfg = Config::locate(config.as_deref())?;
    let out = match args.format {
        SchemaFormat::Text => schema::to_text(&cfg.measures),
        SchemaFormat::Markdown => schema::to_markdown(&cfg.measures),
        SchemaFormat::Json => schema::to_json(&cfg.measures) + "\n",
    };
    super::emit(&out)?;
    Ok(exit::OK)
}
