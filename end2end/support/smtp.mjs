// A real SMTP server (nodemailer's smtp-server) on a free port that keeps every message it
// receives, parsed with mailparser, so journeys can open the links the product e-mails.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { freePort } from "./server.mjs";

/** Starts the sink; returns { env (SMTP_URL for the app), messages, waitFor(to), stop() }. */
export async function startSmtpSink() {
  const port = await freePort();
  const messages = [];
  const waiters = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const message = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom?.address,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            attachments: mail.attachments ?? [],
          };
          messages.push(message);
          for (const w of [...waiters]) {
            if (w.match(message)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(message);
            }
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Badge Engine <badges@badge-engine.test>" },
    messages,
    /** Resolves with the first message (already received or arriving) to `to` matching `pred`. */
    waitFor(to, pred = () => true, timeoutMs = 30_000) {
      const match = (m) => m.to.includes(to.toLowerCase()) && pred(m);
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no e-mail to ${to} within ${timeoutMs} ms (got ${messages.length}: ${messages.map((m) => m.to + " " + m.subject).join("; ")})`));
          }
        }, timeoutMs);
      });
    },
    stop() {
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The first link in `message` whose path starts with `prefix`. */
export function linkIn(message, prefix) {
  const re = new RegExp(`https?://[^\\s"'<>]+${prefix.replace(/[/]/g, "\\/")}[^\\s"'<>]*`);
  const m = message.text.match(re) ?? message.html.match(re);
  if (!m) throw new Error(`no ${prefix} link in e-mail "${message.subject}":\n${message.text}`);
  return m[0];
}
