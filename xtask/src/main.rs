//! `cargo xtask`: the latency-katas grader.
//!
//! A flat dispatch: parse the command line, locate the workspace, hand off to the command's
//! module, and turn its result into an exit code (see [`xtask::exit`]). Errors of the tool
//! itself are printed here, once, as a message without a backtrace.

use clap::Parser;
use xtask::cli::{Cli, Command};
use xtask::commands;
use xtask::exit;
use xtask::workspace::Workspace;

fn main() {
    // Like other command-line tools, stop quietly when the reader of our output goes away
    // (`cargo xtask list | head`) instead of panicking on a broken pipe.
    // SAFETY: called first thing, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    // Grade and verify feed CI tools and authors: English unless asked otherwise.
    let for_machines = matches!(
        cli.command,
        Some(Command::Grade { .. } | Command::Verify { .. })
    );
    match cli.lang {
        Some(lang) => xtask::i18n::set(lang),
        None if for_machines => xtask::i18n::set(xtask::i18n::Lang::En),
        None => {}
    }
    // Tests run in sessions of their own: the grader reaps what they orphan and takes them
    // down when interrupted.
    xtask::sandbox::process::init();
    let code = match Workspace::locate().and_then(|ws| dispatch(&ws, cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", xtask::tr!("error-prefix", message = e.to_string()));
            exit::CANNOT_GRADE
        }
    };
    std::process::exit(code);
}

fn dispatch(ws: &Workspace, command: Option<Command>) -> xtask::error::Result<i32> {
    match command {
        None => commands::status::run(ws),
        Some(Command::Check { slug, force }) => commands::check::run(ws, slug.as_deref(), force),
        Some(Command::Watch { poll }) => commands::watch::run(ws, poll),
        Some(Command::Hint { slug }) => commands::hint::run(ws, slug.as_deref()),
        Some(Command::List) => commands::list::run(ws),
        Some(Command::Reset { slug, yes }) => commands::reset::run(ws, &slug, yes),
        Some(Command::Solution { slug }) => commands::solution::run(ws, &slug),
        Some(Command::Bench {
            slug,
            filter,
            format,
            save,
            compare,
        }) => commands::bench::run(
            ws,
            &commands::bench::Args {
                slug,
                filter,
                format,
                save,
                compare,
            },
        ),
        Some(Command::Verify {
            slug,
            format,
            bless,
        }) => commands::verify::run(ws, slug.as_deref(), format, bless),
        Some(Command::Mutants {
            slug,
            timeout,
            jobs,
            replay,
            extra,
        }) => commands::mutants::run(
            ws,
            &commands::mutants::Args {
                slug,
                timeout,
                jobs,
                extra,
                replay,
            },
        ),
        Some(Command::Export {
            student,
            without_suites,
        }) => commands::export::run(ws, &student, without_suites),
        Some(Command::Grade {
            slugs,
            all: _,
            format,
            out,
            suites,
            reference,
            katas,
            exit_zero,
        }) => commands::grade::run(
            ws,
            &commands::grade::Args {
                slugs,
                format,
                out,
                suites,
                reference,
                katas,
                exit_zero,
            },
        ),
        Some(Command::New { slug, title, topic }) => commands::new::run(ws, &slug, &title, &topic),
    }
}
