fn main() {
    std::process::exit(stance::cli::run());
}
