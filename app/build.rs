//! Generates the `i18n` module from `locales/*.json` at compile time, so a
//! missing or misspelt translation key is a build error, not a blank label.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    // Interpolated strings as plain `String`s, for attributes such as a
    // slot's full spoken label.
    let cfg = Config::new("vi")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(cfg)?;
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
