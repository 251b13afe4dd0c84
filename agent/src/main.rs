//! The `replicast` binary: parses the command line and hands over to the
//! module that does the job (see [`replicast::cli`]).

use clap::Parser as _;
use replicast::cli::{Cli, Command};

fn main() -> anyhow::Result<std::process::ExitCode> {
    let cli = Cli::parse();
    replicast::init_tracing();
    match cli.command {
        Command::Serve(args) => {
            replicast::serve::run(args).map(|()| std::process::ExitCode::SUCCESS)
        }
        Command::Eval(args) => replicast::eval::run(args),
        Command::Simulate(args) => replicast::simulate::run(args),
        Command::Lint(args) => replicast::lint::run(args),
        Command::Tune(args) => replicast::tune::run(args),
        Command::Record(args) => replicast::record::run(args),
        Command::Agent(args) => {
            replicast::live::run(args).map(|()| std::process::ExitCode::SUCCESS)
        }
    }
}
