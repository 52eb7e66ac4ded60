//! The `disclose` binary: parse arguments, run, print, and map the outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use disclose::cli::{CheckArgs, Cli, ColorChoice, Command, DiffArgs, FailOnChoice, FormatChoice, ListFormat, ScanArgs};
use disclose::model::error::Error;
use disclose::model::escape;
use disclose::model::finding::{Level, Threshold};
use disclose::report::human::Verbosity;
use disclose::report::{self, explain, Palette};
use disclose::run::pipeline::{self, CheckRequest, GitRequest};
use disclose::run::policies::{self, DiffRequest, PolicyInput, ScanRequest};
use disclose::run::project;
use disclose::run::version::resolve::{CiEnv, Mode};
use disclose::{engine::rules, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR as u8 } else { EXIT_CLEAN as u8 });
        }
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            let stderr_palette = palette(cli.color, std::io::stderr().is_terminal());
            report_error(&e, &stderr_palette);
            ExitCode::from(EXIT_ERROR as u8)
        }
    }
}

fn run(cli: &Cli) -> Result<i32, Error> {
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match &cli.command {
        Command::Check(args) => check(cli, args, verbosity),
        Command::Diff(args) => diff(cli, args, verbosity),
        Command::Explain { rule } => {
            let p = palette(cli.color, std::io::stdout().is_terminal());
            let text = match rule {
                None => explain::list(&p),
                Some(id) => match rules::rule(id) {
                    Some(r) => explain::rule(r, &p),
                    None => {
                        return Err(Error::Usage {
                            message: format!("unknown rule `{id}`"),
                            help: Some(rules::unknown_rule_help(id)),
                        });
                    }
                },
            };
            emit(&text, None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Categories(args) => {
            let t = project::taxonomy(&current_dir()?, args.config.as_deref())?;
            let text = match args.format {
                ListFormat::Human => explain::categories(&t, &palette(cli.color, std::io::stdout().is_terminal())),
                ListFormat::Json => explain::categories_json(&t),
            };
            emit(&text, None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Scan(args) => scan(cli, args, verbosity),
        Command::Config(args) if args.schema => {
            emit(&disclose::run::schema::config_schema(), None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Config(args) => {
            let (file, rows) = project::effective(&current_dir()?, args.config.as_deref(), None)?;
            let text = match args.format {
                ListFormat::Human => disclose::run::effective::render(file.as_deref(), &rows),
                ListFormat::Json => {
                    format!("{}\n", disclose::run::effective::json(file.as_deref(), &rows))
                }
            };
            emit(&text, None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "disclose", &mut out);
            emit(&String::from_utf8_lossy(&out), None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Man { subcommand } => {
            let main = Cli::command();
            let page = match subcommand {
                None => main,
                Some(name) => {
                    let names: Vec<String> = main.get_subcommands().map(|c| c.get_name().to_string()).collect();
                    let Some(sub) = main.find_subcommand(name) else {
                        return Err(Error::Usage {
                            message: format!("no subcommand `{name}`"),
                            help: Some(format!(
                                "the pages are `disclose man` and `disclose man <{}>`",
                                names.join("|")
                            )),
                        });
                    };
                    sub.clone().name(format!("disclose-{name}")).version(env!("CARGO_PKG_VERSION"))
                }
            };
            let mut out = Vec::new();
            clap_mangen::Man::new(page)
                .render(&mut out)
                .map_err(|source| Error::Write { path: PathBuf::from("-"), source })?;
            emit(&String::from_utf8_lossy(&out), None)?;
            Ok(EXIT_CLEAN)
        }
        Command::Init(args) => {
            let (text, target) = project::init(&current_dir()?, args.force, args.stdout)?;
            match target {
                None => emit(&text, None)?,
                Some(path) => {
                    disclose::cli::output::write_atomic(&path, &text)?;
                    if !cli.quiet {
                        let path = path.display().to_string();
                        let line = format!("wrote {}: review it, then run `disclose check`\n", escape::terminal(&path));
                        eprint!("{}", escape::workflow_safe(&line));
                    }
                }
            }
            Ok(EXIT_CLEAN)
        }
    }
}

fn current_dir() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|source| Error::Read { path: ".".into(), source })
}

fn threshold(f: FailOnChoice) -> Threshold {
    match f {
        FailOnChoice::Error => Threshold::At(Level::Error),
        FailOnChoice::Warning => Threshold::At(Level::Warning),
        FailOnChoice::Note => Threshold::At(Level::Note),
        FailOnChoice::Never => Threshold::Never,
    }
}

fn diff(cli: &Cli, args: &DiffArgs, verbosity: Verbosity) -> Result<i32, Error> {
    let cwd = current_dir()?;
    // The two policies, when they are files (`REV:path` and `-` are not on disk).
    let inputs: Vec<PathBuf> = [&args.old, &args.new]
        .into_iter()
        .filter_map(|a| match PolicyInput::from_arg(a, &cwd) {
            PolicyInput::File(p) => Some(p),
            _ => None,
        })
        .collect();
    check_targets(&args.report, args.output.as_deref(), &inputs)?;
    let report = policies::diff(&DiffRequest {
        old: PolicyInput::from_arg(&args.old, &cwd),
        new: PolicyInput::from_arg(&args.new, &cwd),
        cwd,
        fail_on: args.fail_on.map(threshold),
        limits: cli.limits(),
    })?;
    let code = write_outputs(cli, &report, &args.report, (args.format, args.output.as_deref()), verbosity, &inputs);
    // The process ends here: freeing a monorepo's inventories one allocation at a time
    // would take longer than reading them (about 5% of a large run); the OS takes them back.
    std::mem::forget(report);
    code
}

/// `disclose scan`: read and parse every policy, read what each says, print it. The content
/// never fails the run: exit 0 once every file is read.
fn scan(cli: &Cli, args: &ScanArgs, verbosity: Verbosity) -> Result<i32, Error> {
    let cwd = current_dir()?;
    let mut inputs: Vec<PathBuf> = args.config.iter().cloned().collect();
    inputs.extend(args.files.iter().filter_map(|f| match PolicyInput::from_arg(f, &cwd) {
        PolicyInput::File(p) => Some(p),
        _ => None,
    }));
    if let Some(output) = &args.output {
        disclose::cli::output::check_targets(&[(format!("-o {}", output.display()), output)], &inputs)?;
    }
    let scanned = policies::scan(&ScanRequest {
        policies: args.files.iter().map(|f| PolicyInput::from_arg(f, &cwd)).collect(),
        cwd,
        config: args.config.clone(),
        limits: cli.limits(),
    })?;
    let t = &*scanned.taxonomy;
    let scans: Vec<_> = scanned.policies.iter().map(|p| disclose::engine::scan::scan(p, t)).collect();
    let output = args.output.as_deref();
    let text = match args.format {
        ListFormat::Human => {
            let terminal = output.is_none() && std::io::stdout().is_terminal();
            report::scan::render(&scans, &palette(cli.color, terminal), verbosity)
        }
        ListFormat::Json => report::json::scan(&scans),
    };
    emit(&text, output)?;
    Ok(EXIT_CLEAN)
}

/// Writes every `--report FORMAT=PATH`, then the main format to `-o` or stdout; the exit
/// code follows the findings.
fn write_outputs<F: Copy + Into<report::Format>>(
    cli: &Cli,
    report: &report::Report,
    reports: &[(F, PathBuf)],
    (format, output): (F, Option<&Path>),
    verbosity: Verbosity,
    inputs: &[PathBuf],
) -> Result<i32, Error> {
    check_targets(reports, output, inputs)?;
    let outputs = reports.iter().map(|(f, p)| (*f, Some(p.as_path()))).chain(std::iter::once((format, output)));
    for (format, path) in outputs {
        let terminal = path.is_none() && std::io::stdout().is_terminal();
        let palette = palette(cli.color, terminal);
        emit_with(|out| report::write(report, format.into(), &palette, verbosity, out), path)?;
    }
    Ok(if report.failed() { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Refuses two outputs on one path, or an output onto one of `inputs`, before anything is
/// written (see `disclose::cli::output::check_targets`).
fn check_targets<F: Copy + Into<report::Format>>(
    reports: &[(F, PathBuf)],
    output: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<(), Error> {
    let name = |f: F| format!("{:?}", f.into()).to_ascii_lowercase();
    let mut targets: Vec<(String, &Path)> =
        reports.iter().map(|(f, p)| (format!("--report {}={}", name(*f), p.display()), p.as_path())).collect();
    targets.extend(output.map(|p| (format!("-o {}", p.display()), p)));
    disclose::cli::output::check_targets(&targets, inputs)
}

/// The files a check reads from disk: each version's manifests, policies and change log under
/// its folder (for git versions, the repository's root), their disclose.yaml, and `--config`.
fn check_inputs(report: &report::Report, roots: [&Path; 2], config: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = config.map(Path::to_path_buf).into_iter().collect();
    for (root, inv) in roots.into_iter().zip([&report.old, &report.new]) {
        let paths = inv.manifests.iter().map(|(p, _)| p.as_str()).chain(inv.policies.iter().map(String::as_str));
        let paths = paths.chain(inv.notice_log.as_ref().map(|l| l.path.as_str()));
        out.extend(paths.chain(disclose::model::names::CONFIG_FILES.iter().copied()).map(|p| root.join(p)));
    }
    out
}

fn check(cli: &Cli, args: &CheckArgs, verbosity: Verbosity) -> Result<i32, Error> {
    // Two outputs on one path is a mistake whatever the run finds: say so before running.
    check_targets(&args.report, args.output.as_deref(), &[])?;
    let fail_on = args.fail_on.map(threshold);
    let wants_html = args.format == FormatChoice::Html || args.report.iter().any(|(f, _)| *f == FormatChoice::Html);
    let mut roots: [PathBuf; 2] = Default::default();
    let mut report = match (&args.old, &args.new) {
        (Some(old), Some(new)) => {
            roots = [old.clone(), new.clone()];
            pipeline::check(&CheckRequest {
                old: old.clone(),
                new: new.clone(),
                config: args.config.clone(),
                fail_on,
                redline: wants_html,
                today: None,
                limits: cli.limits(),
                baseline: args.baseline.clone(),
                all_debt: args.write_baseline.is_some(),
            })?
        }
        _ => {
            let mode = if args.staged {
                Mode::Staged
            } else {
                Mode::Base { base: args.base.clone(), head: args.head.clone() }
            };
            let cwd = current_dir()?;
            // The root is for refusing an output file onto an input; without output files
            // the commit hook saves the git call.
            let writes_files = args.output.is_some() || !args.report.is_empty();
            if let Some(repo) = writes_files.then(|| disclose::run::version::git::Repo::discover(&cwd).ok()).flatten() {
                roots = [repo.root.clone(), repo.root];
            }
            pipeline::check_git(&GitRequest {
                cwd,
                mode,
                env: CiEnv::from_process(),
                paths: args.paths.clone(),
                config: args.config.clone(),
                fail_on,
                list_changes: verbosity == Verbosity::Verbose
                    || args.format == FormatChoice::Markdown
                    || args.report.iter().any(|(f, _)| *f == FormatChoice::Markdown),
                redline: wants_html,
                today: None,
                limits: cli.limits(),
                baseline: args.baseline.clone(),
                all_debt: args.write_baseline.is_some(),
            })?
        }
    };
    report.inventory = args.inventory;
    let inputs = check_inputs(&report, [&roots[0], &roots[1]], args.config.as_deref());
    if let Some(path) = &args.write_baseline {
        check_targets::<FormatChoice>(&[], Some(path), &inputs)?;
        disclose::cli::output::write_atomic(path, &disclose::run::baseline::write(&report.findings))?;
        if !cli.quiet {
            let n = report.findings.iter().filter(|f| f.acknowledged.is_none()).count();
            let shown = path.display().to_string();
            let line = format!(
                "wrote {}: {n} finding{}; check with `--baseline {}` to report only new ones\n",
                escape::terminal(&shown),
                if n == 1 { "" } else { "s" },
                escape::terminal(&shown)
            );
            eprint!("{}", escape::workflow_safe(&line));
        }
        return Ok(EXIT_CLEAN);
    }
    let code = write_outputs(cli, &report, &args.report, (args.format, args.output.as_deref()), verbosity, &inputs);
    // The process ends here: freeing a monorepo's inventories one allocation at a time
    // would take longer than reading them (about 5% of a large run); the OS takes them back.
    std::mem::forget(report);
    code
}

/// Writes output to a file (atomically: a temp file renamed into place) or to stdout.
fn emit(text: &str, output: Option<&Path>) -> Result<(), Error> {
    emit_with(|out| out.write_all(text.as_bytes()), output)
}

/// Writes what `fill` writes to a file (atomically) or to stdout (buffered).
fn emit_with(fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>, output: Option<&Path>) -> Result<(), Error> {
    match output {
        Some(path) => disclose::cli::output::write_atomic_with(path, fill),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match fill(&mut out).and_then(|()| out.flush()) {
                // `disclose check | head` closes the pipe early: that is the reader's choice,
                // not a failure, so stop quietly (as ripgrep does).
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(source) => Err(Error::Write { path: "<stdout>".into(), source }),
                Ok(()) => Ok(()),
            }
        }
    }
}

/// Chooses colours: `--color`, then NO_COLOR, then CLICOLOR_FORCE or FORCE_COLOR, then whether
/// it is a terminal.
fn palette(choice: ColorChoice, terminal: bool) -> Palette {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    // FORCE_COLOR (Node, chalk, many CI systems): any value but `0` or `false` forces colour.
    let forced = |name: &str| set(name) && std::env::var_os(name).is_some_and(|v| v != "false");
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !set("NO_COLOR") && (set("CLICOLOR_FORCE") || forced("FORCE_COLOR") || terminal),
    };
    if color {
        Palette::color()
    } else {
        Palette::plain()
    }
}

/// `error: ...` and `help: ...` on stderr, a pair for each error (a disclose.yaml reports every
/// problem it has). Errors quote paths, config values and parser
/// messages, so both lines are escaped for the terminal and made safe for a GitHub log.
fn report_error(e: &Error, p: &Palette) {
    use owo_colors::OwoColorize;
    let mut text = String::new();
    for e in e.blocks() {
        text.push_str(&format!("{} {}\n", "error:".style(p.error), escape::terminal(&e.to_string())));
        if let Some(help) = e.help() {
            text.push_str(&format!("  {} {}\n", "help:".style(p.help), escape::terminal(help)));
        }
    }
    let _ = std::io::stderr().lock().write_all(escape::workflow_safe(&text).as_bytes());
}
