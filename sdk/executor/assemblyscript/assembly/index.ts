// @frontdesk/executor: write a frontdesk executor in AssemblyScript.
//
// An executor module registers one handler and re-exports the ABI entry points:
//
//   import { Request, Response, handle } from "@frontdesk/executor";
//   export { frontdesk_abi_v1, frontdesk_run } from "@frontdesk/executor";
//
//   handle((req: Request, res: Response): void => {
//     res.branch(req.bool("driver_late") ? "waive" : "keep");
//   });
//
// The SDK speaks the typed way in of ABI v1: values are read by name through host functions,
// with no parsing. Call handle at the top level of the entry file: that code runs once per
// instance when the host instantiates the module, before the first call.

import * as host from "./host";

/** Kinds of values, as ABI v1 numbers them. */
export enum Kind {
  Null = 0,
  Float = 1,
  Int = 2,
  Bool = 3,
  String = 4,
  JSON = 5,
}

/** Log levels. */
export enum Level {
  Debug = 0,
  Info = 1,
  Warn = 2,
  Error = 3,
}

/**
 * A call's selected values, read by name. A value that is missing or of another type reads as
 * zero and records an error (see error); the call then fails after the handler returns, so a
 * handler can read everything first. A Request is valid only during its call: keep nothing
 * from it in globals, the instance serves other customers next.
 */
export class Request {
  /** The first problem reading a value, or "" when there was none. */
  error: string = "";

  private find(name: string, want: Kind, alt: Kind): i32 {
    const n = String.UTF8.encode(name);
    const i = host.arg_index(changetype<usize>(n), n.byteLength);
    if (i < 0) {
      this.fail("value missing: \"" + name + "\"");
      return -1;
    }
    const k = host.arg_kind(i);
    if (k != want && k != alt) {
      this.fail("wrong type: \"" + name + "\" is kind " + k.toString() + ", read as kind " + (<i32>want).toString());
      return -1;
    }
    return i;
  }

  private fail(msg: string): void {
    if (this.error.length == 0) this.error = msg;
  }

  /** Whether the selector gave a value of this name. */
  has(name: string): bool {
    const n = String.UTF8.encode(name);
    return host.arg_index(changetype<usize>(n), n.byteLength) >= 0;
  }

  /** A number; integers convert. */
  float(name: string): f64 {
    const i = this.find(name, Kind.Float, Kind.Int);
    return i < 0 ? 0 : host.arg_f64(i);
  }

  /** An integer; floats are truncated. */
  int(name: string): i64 {
    const i = this.find(name, Kind.Int, Kind.Float);
    return i < 0 ? 0 : host.arg_i64(i);
  }

  /** A boolean. */
  bool(name: string): bool {
    const i = this.find(name, Kind.Bool, Kind.Bool);
    return i >= 0 && host.arg_bool(i) != 0;
  }

  /** A string. */
  string(name: string): string {
    const i = this.find(name, Kind.String, Kind.String);
    return i < 0 ? "" : readText(i);
  }

  /** Any value as JSON text (strings as their raw text), for maps and lists. */
  json(name: string): string {
    const n = String.UTF8.encode(name);
    const i = host.arg_index(changetype<usize>(n), n.byteLength);
    if (i < 0) {
      this.fail("value missing: \"" + name + "\"");
      return "";
    }
    return readText(i);
  }

  /** A declared hydration as JSON text; records an error and returns "" when it fails. */
  hydrate(name: string): string {
    const n = String.UTF8.encode(name);
    const i = host.hydrate(changetype<usize>(n), n.byteLength);
    if (i < 0) {
      this.fail(readText(~i));
      return "";
    }
    return readText(i);
  }

  /** Writes a line to the executor's log. */
  log(level: Level, msg: string): void {
    const b = String.UTF8.encode(msg);
    host.log(level, changetype<usize>(b), b.byteLength);
  }

  /** The host's clock, in milliseconds since the Unix epoch. */
  nowMillis(): i64 {
    return host.now_ms();
  }
}

/** Reads value i's text from the host. */
function readText(i: i32): string {
  const n = host.arg_len(i);
  if (n <= 0) return "";
  const buf = new ArrayBuffer(n);
  host.arg_read(i, changetype<usize>(buf), n);
  return String.UTF8.decode(buf);
}

/** The answer of a call: a branch and variables, sent to the host as they are set. */
export class Response {
  failed: bool = false;

  /** Sets the branch a decide node looks up. */
  branch(b: string): void {
    const s = String.UTF8.encode(b);
    host.set_branch(changetype<usize>(s), s.byteLength);
  }

  /** Sets a number variable. */
  float(name: string, v: f64): void {
    const n = String.UTF8.encode(name);
    host.set_var_f64(changetype<usize>(n), n.byteLength, v);
  }

  /** Sets an integer variable. */
  int(name: string, v: i64): void {
    const n = String.UTF8.encode(name);
    host.set_var_i64(changetype<usize>(n), n.byteLength, v);
  }

  /** Sets a boolean variable. */
  bool(name: string, v: bool): void {
    const n = String.UTF8.encode(name);
    host.set_var_bool(changetype<usize>(n), n.byteLength, v ? 1 : 0);
  }

  /** Sets a string variable. */
  string(name: string, v: string): void {
    const n = String.UTF8.encode(name);
    const s = String.UTF8.encode(v);
    host.set_var_str(changetype<usize>(n), n.byteLength, changetype<usize>(s), s.byteLength);
  }

  /** Sets a variable from JSON text, which the host checks. */
  json(name: string, json: string): void {
    const n = String.UTF8.encode(name);
    const s = String.UTF8.encode(json);
    host.set_var_json(changetype<usize>(n), n.byteLength, changetype<usize>(s), s.byteLength);
  }

  /** Fails the call with a message; the node takes its on_error edge. */
  fail(msg: string): void {
    const s = String.UTF8.encode(msg);
    host.fail(changetype<usize>(s), s.byteLength);
    this.failed = true;
  }
}

/** A handler decides one call. */
export type Handler = (req: Request, res: Response) => void;

let handler: Handler | null = null;

/** Registers the module's handler; call it at the top level of the entry file. */
export function handle(h: Handler): void {
  handler = h;
}

/** Declares ABI v1 by its name. Re-export it from the entry file. */
export function frontdesk_abi_v1(): void {}

/** The typed way in. Re-export it from the entry file. */
export function frontdesk_run(): i32 {
  const res = new Response();
  if (handler == null) {
    res.fail("executor: no handler registered (call handle at the top level)");
    return 1;
  }
  const req = new Request();
  handler!(req, res);
  if (req.error.length > 0 && !res.failed) res.fail(req.error);
  return res.failed ? 1 : 0;
}

/**
 * Replaces AssemblyScript's default abort, which would import env.abort from the host: the
 * message goes to the executor's log and the call traps. Select it with
 * `--use abort=@frontdesk/executor/assembly/index/abort` (asconfig.json "use").
 */
export function abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "abort";
  if (message !== null) text += ": " + message;
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  const b = String.UTF8.encode(text);
  host.log(Level.Error, changetype<usize>(b), b.byteLength);
  unreachable();
}
