//! `asl validate` (being built in this session).

pub(crate) fn run(_args: Vec<String>) -> u8 {
    eprintln!("asl: this command is not available yet");
    2
}
