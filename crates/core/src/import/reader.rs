//! The hardened CSV reader: a record cap, line numbers as an editor shows
//! them, and reading errors said the way a person wants them.

use super::*;

/// The line of the first record of `path` whose `column` names `name` (a
/// slug, or a term in any case) and whose position is past `count`: the
/// row that made the gap. Else the first row naming it; else 0.
pub(super) fn first_line(
    path: &Path,
    (column, name): (&str, &str),
    (position_column, count): (&str, i64),
) -> u64 {
    let Ok(file) = File::open(path) else {
        return 0;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Limited::new(file));
    let mut record = csv::StringRecord::new();
    let Ok(true) = reader.read_record(&mut record) else {
        return 0;
    };
    let find = |name: &str| {
        record
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(index), Some(position)) = (find(column), find(position_column)) else {
        return 0;
    };
    let wanted = crate::model::lookup_key(name);
    let mut first = 0;
    while let Ok(true) = reader.read_record(&mut record) {
        // Asked of every record, so the line counter does not keep the
        // breaks of the whole file.
        let line = Limited::line_of(&mut reader, record.position());
        if record
            .get(index)
            .is_none_or(|v| crate::model::lookup_key(v) != wanted)
        {
            continue;
        }
        if first == 0 {
            first = line;
        }
        if record
            .get(position)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .is_some_and(|n| n > count)
        {
            return line;
        }
    }
    first
}

/// Whether the file's last non-blank byte is a double quote, as it is when
/// its last value was quoted and closed.
pub(super) fn ends_with_quote(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = File::open(path) else {
        return true;
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut tail = Vec::new();
    if file.seek(SeekFrom::Start(len.saturating_sub(16))).is_err()
        || file.read_to_end(&mut tail).is_err()
    {
        return true;
    }
    tail.iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'"')
}

/// The most one CSV record (a row, with the line breaks inside its quoted
/// values) may hold. Glossary text is paragraphs; a larger record is a
/// broken file (a quote never closed, a binary file), and refusing it when
/// the limit is reached keeps memory bounded whatever the input.
pub(super) const MAX_RECORD_BYTES: usize = 1 << 20;

/// The input of the CSV reader: skips a UTF-8 byte order mark (spreadsheet
/// programs write one), fails once a record grows past [`MAX_RECORD_BYTES`]
/// before the rest of it is read, and counts lines as a text editor shows
/// them. It follows quoting just enough to know where records end: a line
/// break outside quotes.
///
/// Lines are counted here rather than taken from the CSV reader because
/// that one counts CRLF files off by one (spreadsheets write CRLF): a line
/// break is `\n`, `\r\n` or a lone `\r`, each counted once. The reader asks
/// for the line of each record by its byte offset, in increasing order, so
/// only the breaks in the bytes read ahead (one buffer) are kept.
pub(super) struct Limited<R> {
    pub(super) inner: R,
    pub(super) started: bool,
    pub(super) in_quotes: bool,
    pub(super) record_bytes: usize,
    /// Bytes passed on so far (after the byte order mark).
    pub(super) offset: u64,
    /// The previous byte was a `\r`: a `\n` now ends the same line.
    pub(super) after_cr: bool,
    /// Offsets just past each line break not yet asked about, in order.
    pub(super) breaks: std::collections::VecDeque<u64>,
    /// Line breaks before the first of `breaks`.
    pub(super) breaks_before: u64,
    /// Physical lines seen, and the line the current record starts on.
    pub(super) lines: u64,
    pub(super) record_line: u64,
}

/// The error [`Limited`] fails with; `too_long_line` recognises it.
#[derive(Debug)]
pub(super) struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this row is longer than {} MiB, the most a row may hold (a quote never closed?); the rest of the file was not read",
            MAX_RECORD_BYTES >> 20
        )
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Limited<R> {
    pub(super) fn new(inner: R) -> Self {
        Limited {
            inner,
            started: false,
            in_quotes: false,
            record_bytes: 0,
            offset: 0,
            after_cr: false,
            breaks: std::collections::VecDeque::new(),
            breaks_before: 0,
            lines: 1,
            record_line: 1,
        }
    }

    /// The 1-based line that the byte at `offset` is on. Offsets must not
    /// go backwards from one call to the next (records come in order).
    pub(super) fn line_at(&mut self, offset: u64) -> u64 {
        while self.breaks.front().is_some_and(|&end| end <= offset) {
            self.breaks.pop_front();
            self.breaks_before += 1;
        }
        self.breaks_before + 1
    }

    /// The line a record read by `reader` starts on.
    pub(super) fn line_of(reader: &mut csv::Reader<Self>, position: Option<&csv::Position>) -> u64 {
        position.map_or(0, |p| reader.get_mut().line_at(p.byte()))
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = self.inner.read(buf)?;
        if !self.started && n > 0 {
            self.started = true;
            // Files shorter than the mark's three bytes in one read are rare
            // enough (and harmless: the mark would fail as a header name).
            if buf[..n].starts_with(b"\xEF\xBB\xBF") {
                buf.copy_within(3..n, 0);
                n -= 3;
            }
        }
        let mut last = 0;
        for at in memchr::memchr3_iter(b'"', b'\n', b'\r', &buf[..n]) {
            self.record_bytes += at - last;
            last = at + 1;
            let byte = buf[at];
            let crlf = byte == b'\n' && self.after_cr && at == 0
                || byte == b'\n' && at > 0 && buf[at - 1] == b'\r';
            if byte == b'"' {
                self.in_quotes = !self.in_quotes;
                self.record_bytes += 1;
            } else if crlf {
                // The `\r` before it counted this line already.
                self.record_bytes += 1;
                if !self.in_quotes {
                    self.record_bytes = 0;
                }
            } else {
                self.lines += 1;
                self.breaks.push_back(self.offset + at as u64 + 1);
                if self.in_quotes {
                    self.record_bytes += 1;
                } else {
                    self.record_bytes = 0;
                    self.record_line = self.lines;
                }
            }
            if self.record_bytes > MAX_RECORD_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    RecordTooLong,
                ));
            }
        }
        self.record_bytes += n - last;
        self.offset += n as u64;
        if n > 0 {
            self.after_cr = buf[n - 1] == b'\r';
        }
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLong,
            ));
        }
        Ok(n)
    }
}

/// The line a too-long record starts on, if that is what `e` is.
pub(super) fn too_long_line<R: Read>(
    e: &csv::Error,
    reader: &csv::Reader<Limited<R>>,
) -> Option<u64> {
    match e.kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RecordTooLong>()) => {
            Some(reader.get_ref().record_line)
        }
        _ => None,
    }
}

/// A CSV reading error as a person would want it said.
pub(super) fn csv_message(e: &csv::Error, headers: Option<&csv::StringRecord>) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = headers
                .and_then(|h| h.get(err.field()))
                .map(|c| format!(" in column \"{c}\""))
                .unwrap_or_default();
            format!("text{column} is not valid UTF-8 (save the file as CSV UTF-8)")
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RecordTooLong>()) => {
            RecordTooLong.to_string()
        }
        csv::ErrorKind::Io(io) => format!("could not read the file: {io}"),
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|i| headers.and_then(|h| h.get(i as usize)))
                .map(|c| format!("column \"{c}\": "))
                .unwrap_or_default();
            format!("{column}{}", err.kind())
        }
        _ => e.to_string(),
    }
}
