// Command echo is a test executor for the value table: it answers the values it was given,
// read the typed way, so a test can check what reached the guest, whether the table held it
// or it was too long for the table and came through the host functions.
package main

import (
	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

func init() {
	executor.Handle(func(req executor.Request) (executor.Response, error) {
		text := req.String("text")
		count := req.Int("count")
		ratio := req.Float("count")
		flag := req.Bool("flag")
		obj := req.JSON("obj")
		if err := req.Err(); err != nil {
			return executor.Response{}, err
		}
		return executor.Response{Branch: "echo", Vars: req.Vars(
			executor.String("text", text),
			executor.Int("length", int64(len(text))),
			executor.Int("count", count),
			executor.Float("ratio", ratio/2),
			executor.Bool("flag", !flag),
			executor.Value("obj", string(obj)),
		)}, nil
	})
}

func main() {}
