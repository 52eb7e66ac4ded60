//! The commands that read the repository's own configuration rather than compare two
//! versions: `disclose categories` (the taxonomy it extends), `disclose config` (the effective
//! settings) and `disclose init` (a first disclose.yaml).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::error::Error;
use crate::model::settings::{Config, Date};
use crate::run::config::{configure, read_config, ConfigFile};
use crate::run::pipeline::today_from_clock;
use crate::run::version::git::Repo;
use crate::run::version::{choose, select, Folder, Version};
use crate::taxonomy::Taxonomy;

/// The folder that holds the repository's disclose.yaml: the git root, else `cwd`.
fn project_root(cwd: &Path) -> PathBuf {
    Repo::discover(cwd).map_or_else(|_| cwd.to_path_buf(), |r| r.root)
}

/// The repository's configuration: `--config`, else its own disclose.yaml.
fn project_config(root: &Folder, explicit: Option<&Path>) -> Result<Option<ConfigFile>, Error> {
    match explicit {
        Some(p) => read_config(p).map(Some),
        None => root.config()?.map(ConfigFile::parse).transpose(),
    }
}

/// `disclose categories`: the taxonomy, with the repository's `categories:` added.
pub fn taxonomy(cwd: &Path, config: Option<&Path>) -> Result<Arc<Taxonomy>, Error> {
    let root = Folder::open(&project_root(cwd))?;
    Ok(configure(project_config(&root, config)?.as_ref())?.0)
}

/// `disclose config`: the effective configuration of the repository, row by row, and the
/// file it comes from.
pub fn effective(
    cwd: &Path,
    config: Option<&Path>,
    today: Option<Date>,
) -> Result<(Option<String>, Vec<crate::run::effective::Row>), Error> {
    let root = Folder::open(&project_root(cwd))?;
    let file = project_config(&root, config)?;
    let (_, settings) = configure(file.as_ref())?;
    let selection = choose(&root, file.as_ref(), &settings)?;
    let rows = crate::run::effective::rows(
        file.as_ref().map(|c| (c.label.as_str(), c.text.as_str(), &c.config)),
        &settings,
        &selection,
        today.unwrap_or_else(today_from_clock),
    );
    Ok((file.map(|c| c.label), rows))
}

/// `disclose init`: a commented disclose.yaml for the repository. Returns its text, and the
/// path to write it to (`None` with `to_stdout`; `main` writes it). An existing file is never
/// replaced without `force`.
pub fn init(cwd: &Path, force: bool, to_stdout: bool) -> Result<(String, Option<PathBuf>), Error> {
    let root_path = project_root(cwd);
    let root = Folder::open(&root_path)?;
    let selection = select(&root, &Config::default(), None, &globset::GlobSet::empty())?;
    let text = crate::run::init::template(&selection.manifests, &selection.policies);
    if to_stdout {
        return Ok((text, None));
    }
    if let Some((existing, _)) = root.config()? {
        if !force {
            return Err(Error::Usage {
                message: format!("`{existing}` already exists"),
                help: Some(
                    "`disclose config` shows what it sets; `--force` replaces it, `--stdout` prints the template"
                        .into(),
                ),
            });
        }
    }
    let path = root_path.join(crate::model::names::CONFIG_FILES[0]);
    Ok((text, Some(path)))
}
