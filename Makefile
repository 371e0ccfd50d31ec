# frontdesk build. `make run` serves the examples on embedded defaults; `make test` runs every
# test. Both install or download what they need on a fresh Debian machine, or say what is missing.

GO        ?= go
BUILD     := build
BIN       := $(BUILD)/bin
GOBIN_ABS := $(abspath $(BIN))
PKGS      := ./...
STATICCHECK_VERSION := 2025.1.1

export CGO_ENABLED := 1

.PHONY: all build run test bench lint clean tools

all: build

## build: compile the frontdesk binary and the plugin mains into build/bin
build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./cmd/...

## run: serve the example policies on embedded defaults (http://127.0.0.1:8080)
run: build
	$(BIN)/frontdesk serve --config examples/config/frontdesk.yaml

## test: run every test (unit, integration, end to end)
test: build
	$(GO) test -count=1 -timeout 15m $(PKGS)

## bench: run the Go benchmarks with allocation counts
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 $(PKGS) | tee $(BUILD)/bench.txt

## lint: gofmt check, go vet and staticcheck
lint: $(BIN)/staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(BIN)/staticcheck $(PKGS)

$(BIN)/staticcheck:
	GOBIN=$(GOBIN_ABS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## clean: remove build outputs
clean:
	rm -rf $(BUILD)

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'
