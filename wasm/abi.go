package wasm

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// ABIVersion is the version of the executor ABI this host speaks.
const ABIVersion = 1

// Names of the exports ABI v1 defines.
const (
	exportABIPrefix = "frontdesk_abi_v"
	exportRun       = "frontdesk_run"
	exportAlloc     = "frontdesk_alloc"
	exportExecute   = "frontdesk_execute"
	exportInit      = "_initialize"
	exportMemory    = "memory"
)

// abiInfo is what a module's exports say about how to call it.
type abiInfo struct {
	typed, json bool // which ways in the module offers
	initialize  bool // a reactor module exporting _initialize
}

// inspectABI reads the ABI declaration and entry points from a compiled module's exports and
// checks that every import is one the host provides, so a bad module fails at load.
func inspectABI(cm wazero.CompiledModule, provided map[string]map[string]bool) (abiInfo, error) {
	var info abiInfo
	exports := cm.ExportedFunctions()
	var versions []int
	for name := range exports {
		if v, ok := strings.CutPrefix(name, exportABIPrefix); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return info, fmt.Errorf("%w: export %q does not end in a number", ErrABIVersion, name)
			}
			versions = append(versions, n)
		}
	}
	sort.Ints(versions)
	switch {
	case len(versions) == 0:
		return info, fmt.Errorf("%w: export %s%d", ErrNoABI, exportABIPrefix, ABIVersion)
	case versions[0] != ABIVersion || len(versions) > 1:
		return info, fmt.Errorf("%w: module declares %v, this host speaks v%d", ErrABIVersion, versions, ABIVersion)
	}
	if _, ok := cm.ExportedMemories()[exportMemory]; !ok {
		return info, fmt.Errorf("%w: memory %q", ErrMissingExport, exportMemory)
	}
	if err := checkSignature(exports, exportRun, nil, []string{"i32"}); err != nil {
		return info, err
	}
	if err := checkSignature(exports, exportTable, nil, []string{"i64"}); err != nil {
		return info, err
	}
	if err := checkSignature(exports, exportAlloc, []string{"i32"}, []string{"i32"}); err != nil {
		return info, err
	}
	if err := checkSignature(exports, exportExecute, []string{"i32", "i32"}, []string{"i64"}); err != nil {
		return info, err
	}
	_, info.typed = exports[exportRun]
	_, alloc := exports[exportAlloc]
	_, execute := exports[exportExecute]
	info.json = alloc && execute
	_, info.initialize = exports[exportInit]
	if !info.typed && !info.json {
		return info, fmt.Errorf("%w: %s (typed) or %s and %s (JSON)", ErrMissingExport, exportRun, exportAlloc, exportExecute)
	}
	for _, imp := range cm.ImportedFunctions() {
		mod, name, _ := imp.Import()
		if !provided[mod][name] {
			return info, fmt.Errorf("%w: %s.%s", ErrUnknownImport, mod, name)
		}
	}
	return info, nil
}

// checkSignature checks an export's parameter and result types, when the export exists.
func checkSignature(exports map[string]api.FunctionDefinition, name string, params, results []string) error {
	def, ok := exports[name]
	if !ok {
		return nil
	}
	got := typeNames(def.ParamTypes()) + "->" + typeNames(def.ResultTypes())
	want := strings.Join(params, ",") + "->" + strings.Join(results, ",")
	if got != want {
		return fmt.Errorf("%w: %s has type (%s), ABI v%d wants (%s)", ErrMissingExport, name, got, ABIVersion, want)
	}
	return nil
}

// typeNames writes value types as "i32,i64".
func typeNames(ts []api.ValueType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = api.ValueTypeName(t)
	}
	return strings.Join(names, ",")
}

// modeFor picks the way in for a module given the configured preference.
func (a abiInfo) modeFor(want Mode) (Mode, error) {
	switch want {
	case ModeTyped:
		if !a.typed {
			return "", fmt.Errorf("%w: mode typed needs %s", ErrMissingExport, exportRun)
		}
		return ModeTyped, nil
	case ModeJSON:
		if !a.json {
			return "", fmt.Errorf("%w: mode json needs %s and %s", ErrMissingExport, exportAlloc, exportExecute)
		}
		return ModeJSON, nil
	}
	if a.typed {
		return ModeTyped, nil
	}
	return ModeJSON, nil
}
