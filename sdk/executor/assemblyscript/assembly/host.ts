// The host functions of ABI v1, module "frontdesk" (see wasm/ABI.md in the frontdesk
// repository). Pointers and lengths are byte offsets and counts in this module's memory;
// text is UTF-8.

@external("frontdesk", "arg_count")
export declare function arg_count(): i32;
@external("frontdesk", "arg_index")
export declare function arg_index(name: usize, nameLen: i32): i32;
@external("frontdesk", "arg_kind")
export declare function arg_kind(i: i32): i32;
@external("frontdesk", "arg_f64")
export declare function arg_f64(i: i32): f64;
@external("frontdesk", "arg_i64")
export declare function arg_i64(i: i32): i64;
@external("frontdesk", "arg_bool")
export declare function arg_bool(i: i32): i32;
@external("frontdesk", "arg_len")
export declare function arg_len(i: i32): i32;
@external("frontdesk", "arg_read")
export declare function arg_read(i: i32, ptr: usize, cap: i32): i32;
@external("frontdesk", "hydrate")
export declare function hydrate(name: usize, nameLen: i32): i32;
@external("frontdesk", "set_branch")
export declare function set_branch(ptr: usize, len: i32): void;
@external("frontdesk", "set_var_f64")
export declare function set_var_f64(name: usize, nameLen: i32, v: f64): void;
@external("frontdesk", "set_var_i64")
export declare function set_var_i64(name: usize, nameLen: i32, v: i64): void;
@external("frontdesk", "set_var_bool")
export declare function set_var_bool(name: usize, nameLen: i32, v: i32): void;
@external("frontdesk", "set_var_str")
export declare function set_var_str(name: usize, nameLen: i32, ptr: usize, len: i32): void;
@external("frontdesk", "set_var_json")
export declare function set_var_json(name: usize, nameLen: i32, ptr: usize, len: i32): void;
@external("frontdesk", "fail")
export declare function fail(ptr: usize, len: i32): void;
@external("frontdesk", "log")
export declare function log(level: i32, ptr: usize, len: i32): void;
@external("frontdesk", "now_ms")
export declare function now_ms(): i64;
