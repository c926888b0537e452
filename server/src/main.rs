//! `badge-engine` binary entry point; everything lives in the `server` library.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
