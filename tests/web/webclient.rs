//! The editor under test: `glossary serve` started as a real process on a
//! free loopback port, and a small HTTP/1.1 client that says exactly what
//! a browser would (or a hostile page would), cookies included.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use glossary_core::text::url_segment as encode;

use crate::util::Env;

/// A running `glossary serve`; stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl Server {
    pub fn start(env: &Env) -> Server {
        Server::start_with(env, &[])
    }

    /// With these environment variables set for the server.
    pub fn start_with(env: &Env, vars: &[(&str, &str)]) -> Server {
        Server::start_args(env, &["--listen", "127.0.0.1:0"], vars)
    }

    /// With these arguments after `serve` (`--listen` among them) and
    /// environment variables; reached on loopback whatever it listens on.
    pub fn start_args(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("glossary");
        let mut child = Command::new(bin)
            .current_dir(env.dir.path())
            .env_remove("GLOSSARY_DB")
            .env("GLOSSARY_AUTHOR", "web tester")
            .arg("--db")
            .arg(env.db())
            .arg("serve")
            .args(args)
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("glossary serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .replace("0.0.0.0:", "127.0.0.1:");
        assert!(addr.starts_with("127.0.0.1:"), "serve printed {line:?}");
        Server { child, addr }
    }

    /// A browser with no cookies yet.
    pub fn browser(&self) -> Browser {
        Browser {
            addr: self.addr.clone(),
            cookies: Vec::new(),
        }
    }

    /// Sends SIGTERM, waits for the process, and returns what it logged
    /// (its stderr).
    pub fn stop_with_log(mut self) -> String {
        terminate(&self.child);
        let mut log = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut log);
        }
        let _ = self.child.wait();
        std::mem::forget(self);
        log
    }

    /// Sends SIGTERM and waits for the process: its exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        terminate(&self.child);
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }
}

fn terminate(child: &Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

impl Drop for Server {
    fn drop(&mut self) {
        terminate(&self.child);
        let _ = self.child.wait();
    }
}

/// One response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every Set-Cookie header, whole.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The page's CSRF token, from any of its forms.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let at = text
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no form on the page: {text}"));
        let rest = &text[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// The value of the page's first field `name` (an upload's `token`).
    pub fn field(&self, name: &str) -> Option<String> {
        let text = self.text();
        let key = format!("name=\"{name}\" value=\"");
        let rest = &text[text.find(&key)? + key.len()..];
        Some(unescape(&rest[..rest.find('"')?]))
    }

    /// The value of field `name` (`was.definition`) in the form that
    /// saves entry `id` of `kind`.
    pub fn hidden(&self, kind: &str, id: i64, name: &str) -> String {
        let text = self.text();
        let marker = format!(
            "name=\"kind\" value=\"{kind}\">\n<input type=\"hidden\" name=\"id\" value=\"{id}\">"
        );
        let at = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no form for {kind} {id}: {text}"));
        let form = &text[at..];
        let form = &form[..form.find("</form>").unwrap()];
        let key = format!("name=\"{name}\" value=\"");
        let v = &form[form
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {form}"))
            + key.len()..];
        unescape(&v[..v.find('"').unwrap()])
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A browser: keeps the cookies the editor sets (name, value).
pub struct Browser {
    addr: String,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    /// The cookie `name` this browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// Holds `value` for cookie `name` (another server's, a forged one).
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|(n, _)| n != name);
        self.cookies.push((name.to_string(), value.to_string()));
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, None, &[])
    }

    /// POSTs a urlencoded form.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_with(path, fields, &[])
    }

    /// POSTs a urlencoded form with `extra` headers (another `Origin`).
    pub fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Response {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.send(
            "POST",
            path,
            Some((
                "application/x-www-form-urlencoded",
                body.join("&").into_bytes(),
            )),
            extra,
        )
    }

    /// Uploads `files` (file name, content) to `/import` with the page's
    /// token first, as the editor's form sends them.
    pub fn upload(&mut self, csrf: &str, files: &[(&str, &[u8])]) -> Response {
        let mut parts: Vec<(&str, &str, &[u8])> = vec![("csrf", "", csrf.as_bytes())];
        parts.extend(
            files
                .iter()
                .map(|(name, content)| ("files", *name, *content)),
        );
        self.post_multipart("/import", &parts)
    }

    /// POSTs `multipart/form-data`: (name, file name or "", content).
    pub fn post_multipart(&mut self, path: &str, parts: &[(&str, &str, &[u8])]) -> Response {
        let boundary = "----glossary-test-boundary-7d1c";
        let mut body = Vec::new();
        for (name, file, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            if file.is_empty() {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
            } else {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.send("POST", path, Some((&ct, body)), &[])
    }

    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nUser-Agent: glossary-tests\r\n"
        );
        if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            head.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.map(|(ct, b)| {
            head.push_str(&format!(
                "Content-Type: {ct}\r\nContent-Length: {}\r\n",
                b.len()
            ));
            b
        });
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        if let Some(b) = body {
            // A server that refuses a large body early may close first.
            let _ = stream.write_all(&b);
        }
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let response = parse(&raw);
        for set in response.set_cookies() {
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !set.contains("Max-Age=0") {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
        response
    }
}

fn parse(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = unchunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..nl]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[nl + 2..nl + 2 + size]);
        data = &data[nl + 2 + size + 2..];
    }
    out
}
