//! `zonefacts schema`: the data dictionary, from the definitions the writer uses.

use anyhow::Result;

use crate::cli::{exit, SchemaArgs, SchemaFormat};
use crate::schema;

/// Prints the schema.
pub fn execute(args: &SchemaArgs) -> Result<i32> {
    let out = match args.format {
        SchemaFormat::Text => schema::to_text(),
        SchemaFormat::Markdown => schema::to_markdown(),
        SchemaFormat::Json => schema::to_json() + "\n",
    };
    super::emit(&out)?;
    Ok(exit::OK)
}
