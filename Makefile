# frontdesk build. `make run` serves the examples on embedded defaults; `make test` runs every
# test. Both install or download what they need on a fresh Debian machine, or say what is missing.

GO        ?= go
BUILD     := build
BIN       := $(BUILD)/bin
GOBIN_ABS := $(abspath $(BIN))
PKGS      := ./...
STATICCHECK_VERSION := v0.8.2

export CGO_ENABLED := 1

# APT_INSTALL installs Debian packages, fetching the package lists first when a fresh machine
# has none. Targets call it only when what they need is missing.
APT_INSTALL := sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq "$$@" || { apt-get update -qq && apt-get install -y -qq "$$@"; }' apt-install

.PHONY: all build run test bench lint clean tools

all: build

## build: compile the frontdesk binary and the plugin mains into build/bin
build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./cmd/...

## run: serve the example policies on embedded defaults (http://127.0.0.1:8080)
run: build onnxruntime model
	@echo "email: mail support@frontdesk.localhost with '$(BIN)/frontdesk devmail send \"I lost my card\"', read replies with '$(BIN)/frontdesk devmail read alice@example.com' (docs/channels/email.md)"
	$(BIN)/frontdesk serve --config examples/config/frontdesk.yaml

## test: run every test (unit, integration, end to end)
test: build onnxruntime python3-onnx test-servers
	$(TEST_SERVERS_ENV) $(GO) test -count=1 -timeout 15m $(PKGS)

## bench: run the Go benchmarks with allocation counts (model accuracy: make bench-intent)
bench:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench . -skip 'Accuracy' -benchmem -count 5 $(PKGS) | tee $(BUILD)/bench.txt

## lint: gofmt check, go vet and staticcheck
lint: $(BIN)/staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(BIN)/staticcheck $(PKGS)

$(BIN)/staticcheck:
	GOBIN=$(GOBIN_ABS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# ---- intent recognition (core/intent) ----
ORT_VERSION := 1.24.1
ORT_SHA256  := 53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4
ORT_LIB     := $(BUILD)/onnxruntime/libonnxruntime.so.1
MODEL_DIR   := $(BUILD)/model
PROTOC_GEN_GO_VERSION := v1.36.12

.PHONY: onnxruntime model bench-intent generate-onnx python3-onnx

## onnxruntime: download ONNX Runtime 1.24.1 (npm onnxruntime-node) into build/onnxruntime, checksum-verified
onnxruntime: $(ORT_LIB)

$(ORT_LIB):
	@command -v npm >/dev/null || $(APT_INSTALL) npm || { echo "npm is missing: apt-get install -y npm"; exit 1; }
	@mkdir -p $(BUILD)/onnxruntime/tmp
	cd $(BUILD)/onnxruntime/tmp && npm pack --silent onnxruntime-node@$(ORT_VERSION) >/dev/null
	tar -xzf $(BUILD)/onnxruntime/tmp/onnxruntime-node-$(ORT_VERSION).tgz -C $(BUILD)/onnxruntime/tmp \
	  package/bin/napi-v6/linux/x64/libonnxruntime.so.1
	echo "$(ORT_SHA256)  $(BUILD)/onnxruntime/tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --quiet
	mv $(BUILD)/onnxruntime/tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1 $@
	rm -rf $(BUILD)/onnxruntime/tmp

# The ONNX checker test runs Debian's python3-onnx on the exported graph.
python3-onnx:
	@/usr/bin/python3 -c 'import onnx' 2>/dev/null || $(APT_INSTALL) python3-onnx || \
	  { echo "the ONNX checker test needs Debian's python3-onnx: apt-get install -y python3-onnx"; exit 1; }

## model: train the default intent model from examples/intents into build/model
model: $(MODEL_DIR)/model.onnx

$(MODEL_DIR)/model.onnx: $(ORT_LIB) $(wildcard examples/intents/*) $(shell find core/intent -name '*.go' -not -name '*_test.go')
	$(GO) run ./cmd/frontdesk train --data examples/intents/train.csv --out $(MODEL_DIR)

## bench-intent: train on ../shared/data (BANKING77, CLINC150), evaluate on held-out splits, run BenchmarkClassify
bench-intent: onnxruntime
	@test -d ../shared/data || { echo "bench-intent needs the public data sets in ../shared/data (see its README.md)"; exit 1; }
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench 'Classify|Featurize' -benchmem -count 5 ./core/intent/onnx/ | tee $(BUILD)/bench-intent.txt
	$(GO) test -run '^$$' -bench 'Accuracy' -benchtime 1x -timeout 30m ./core/intent/onnx/ | tee -a $(BUILD)/bench-intent.txt
	@awk -f core/intent/onnx/testdata/benchtable.awk $(BUILD)/bench-intent.txt

## generate-onnx: regenerate core/intent/onnxpb from Debian libonnx-dev's onnx.proto
generate-onnx: $(BIN)/protoc-gen-go
	@command -v protoc >/dev/null || $(APT_INSTALL) protobuf-compiler
	@test -f /usr/include/onnx/onnx.proto || $(APT_INSTALL) libonnx-dev
	sed -e 's/^package onnx;/package onnx;\noption go_package = "github.com\/frontdeskhq\/frontdesk\/core\/intent\/onnxpb";/' \
	  /usr/include/onnx/onnx.proto > core/intent/onnxpb/onnx.proto
	PATH=$(GOBIN_ABS):$$PATH protoc -I core/intent/onnxpb --go_out=core/intent/onnxpb --go_opt=paths=source_relative onnx.proto

$(BIN)/protoc-gen-go:
	GOBIN=$(GOBIN_ABS) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

# ---- plugins (sdk/proto, sdk/plugin, plugins, connectors/local, examples/plugin) ----
PROTOC_GEN_GO_GRPC_VERSION := v1.5.1

.PHONY: generate generate-proto example-plugin bench-plugin

## generate: regenerate every generated file (the plugin protocol's Go code, ...)
generate: generate-proto generate-onnx

## generate-proto: regenerate sdk/proto/pluginv1 from plugin.proto with Debian's protoc and pinned Go plugins
generate-proto: $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc
	@command -v protoc >/dev/null || $(APT_INSTALL) protobuf-compiler
	@test -f /usr/include/google/protobuf/timestamp.proto || $(APT_INSTALL) libprotobuf-dev
	PATH=$(GOBIN_ABS):$$PATH protoc -I sdk/proto \
	  --go_out=sdk/proto --go_opt=paths=source_relative \
	  --go-grpc_out=sdk/proto --go-grpc_opt=paths=source_relative \
	  pluginv1/plugin.proto

$(BIN)/protoc-gen-go-grpc:
	GOBIN=$(GOBIN_ABS) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)

## example-plugin: build the third-party example plugin (examples/plugin) into build/bin/frontdesk-loyalty
example-plugin:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/frontdesk-loyalty ./examples/plugin

## bench-plugin: run BenchmarkPluginCall (a small CRM call to the local plugin over gRPC) and BenchmarkPluginCallInMemory (the same to a plugin answering from memory)
bench-plugin:
	$(GO) test -run '^$$' -bench PluginCall -benchmem -count 10 -benchtime 2000x ./plugins/ | tee $(BUILD)/bench-plugin.txt

## fuzz-connectors: fuzz the vendor connectors' decoders of Salesforce, Zendesk, Twilio and REST answers, FUZZTIME each (default 15s)
FUZZTIME ?= 15s
CONNECTOR_FUZZERS := salesforce:FuzzDecodeCase salesforce:FuzzDecodeErrors salesforce:FuzzDecodeToken \
	zendesk:FuzzDecodeTicket zendesk:FuzzDecodeError twilio:FuzzDecodeMessage rest:FuzzMapResponse
fuzz-connectors:
	@set -e; for f in $(CONNECTOR_FUZZERS); do \
	  echo "fuzz $${f%%:*} $${f#*:} for $(FUZZTIME)" >&2; \
	  $(GO) test -run '^$$' -fuzz "^$${f#*:}$$" -fuzztime $(FUZZTIME) ./connectors/$${f%%:*}/; done

## bench-connectors: run the vendor connectors' benchmarks (decoders and loopback round trips)
bench-connectors:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench . -benchmem -count 5 -benchtime 2000x ./connectors/salesforce/ ./connectors/zendesk/ ./connectors/rest/ ./connectors/twilio/ | tee $(BUILD)/bench-connectors.txt

# ---- WebAssembly executors (wasm, sdk/executor, examples/executors) ----
WASM_OUT     := $(BUILD)/wasm
GO_EXECUTORS := cancellation_fee_eligible within_radius recent_duplicate_charge
AS_EXECUTORS := late_arrival_credit

.PHONY: wasm wasm-tools bench-executors

## wasm: build the example executors into build/wasm (Go wasip1 reactors, AssemblyScript) with their sha256 pins in build/wasm/executors.yaml
wasm: wasm-tools
	@mkdir -p $(WASM_OUT)
	@for e in $(GO_EXECUTORS); do \
	  echo "go build $(WASM_OUT)/$$e.wasm"; \
	  GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 $(GO) build -buildmode=c-shared -trimpath \
	    -o $(WASM_OUT)/$$e.wasm ./examples/executors/$$e || exit 1; \
	done
	@for e in $(AS_EXECUTORS); do \
	  echo "asc $(WASM_OUT)/$$e.wasm"; \
	  (cd examples/executors/$$e && node_modules/.bin/asc assembly/index.ts --config asconfig.json \
	    --target release --outFile $(abspath $(WASM_OUT))/$$e.wasm) || exit 1; \
	done
	@{ echo "# Written by make wasm: the example executors with their sha256 pins."; echo "executors:"; \
	  for e in $(GO_EXECUTORS) $(AS_EXECUTORS); do \
	    echo "  - name: $$e"; echo "    path: $$e.wasm"; \
	    echo "    sha256: $$(sha256sum $(WASM_OUT)/$$e.wasm | cut -d' ' -f1)"; \
	  done; } > $(WASM_OUT)/executors.yaml
	@echo "wrote $(WASM_OUT)/executors.yaml"

# wat2wasm (Debian wabt) assembles the fault-test modules; asc (npm assemblyscript, pinned by
# the committed package-lock.json files) compiles the AssemblyScript SDK's executors.
wasm-tools:
	@command -v wat2wasm >/dev/null || $(APT_INSTALL) wabt || \
	  { echo "the wasm tests need wat2wasm: apt-get install -y wabt"; exit 1; }
	@command -v npm >/dev/null || $(APT_INSTALL) npm || { echo "npm is missing: apt-get install -y npm"; exit 1; }
	@for d in sdk/executor/assemblyscript $(addprefix examples/executors/,$(AS_EXECUTORS)); do \
	  test -x $$d/node_modules/.bin/asc || (cd $$d && npm ci --no-audit --no-fund) || exit 1; \
	done

## bench-executors: the executor benchmarks: typed and JSON ways, goja side by side, 100 goroutines
bench-executors:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench 'Executor' -benchmem -count 5 -benchtime 20000x ./wasm/ | tee $(BUILD)/bench-executors.txt

# The tests build the executors from source themselves but need the tools; make run serves them.
test: wasm
run: wasm

# --- Policy Studio (docs/studio.md)
.PHONY: studio-traffic bench-shadow

## studio-traffic: send simulated conversations (N=50, INTENT=change_address) to the frontdesk of make run, so a Shadow version gets runs
studio-traffic:
	$(GO) run ./examples/studio -url http://127.0.0.1:8080 -intent $(or $(INTENT),change_address) -n $(or $(N),50)

## bench-shadow: the live path with and without a shadow version beside it (p50-ns: the live turn's median)
bench-shadow:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench 'RouterHandleShadow' -benchmem -count 5 -benchtime 3000x ./core/router/ | tee $(BUILD)/bench-shadow.txt

## clean: remove build outputs
clean:
	rm -rf $(BUILD)

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

# --- test servers: throwaway Redis and PostgreSQL for the shared state backends (core/session,
# core/queue, core/store). Their tests skip when the variables are unset, and fail under CI.
TEST_SERVERS_DIR := $(BUILD)/test-servers
TEST_SERVERS     := sh core/store/testservers/testservers.sh
TEST_SERVERS_ENV  = $(shell $(TEST_SERVERS) env)

.PHONY: test-servers test-servers-stop test-state bench-scale

## test-servers: install redis-server and postgresql (apt) when missing and start throwaway ones on loopback in build/test-servers
test-servers:
	@$(TEST_SERVERS) start $(TEST_SERVERS_DIR)

## test-servers-stop: stop the test servers
test-servers-stop:
	@$(TEST_SERVERS) stop $(TEST_SERVERS_DIR)

## test-state: run the session, queue and store tests against the embedded and the shared backends
test-state: test-servers
	$(TEST_SERVERS_ENV) $(GO) test -count=1 -race ./core/session/... ./core/queue/... ./core/store/...

## bench-scale: messages/s through the in-app API of 1, 2 and 3 serve processes (embedded and Redis + PostgreSQL state), and Redis Streams queue throughput
bench-scale: test-servers
	@mkdir -p $(BUILD)
	{ $(TEST_SERVERS_ENV) $(GO) test -run '^$$' -bench Scale -benchtime 3000x -count 3 ./cmd/frontdesk/ && \
	  $(TEST_SERVERS_ENV) $(GO) test -run '^$$' -bench RedisStreams -benchmem -count 3 ./core/queue/; } | tee $(BUILD)/bench-scale.txt

# ---- headless browser tests (internal/browsertest) ----
BROWSER_NODE := $(BUILD)/node

.PHONY: browser

## browser: install Debian chromium and node when missing, and playwright-core (pinned by internal/browsertest/package-lock.json) into build/node
browser: $(BROWSER_NODE)/node_modules/playwright-core/package.json
	@command -v chromium >/dev/null || $(APT_INSTALL) chromium || \
	  { echo "the browser tests need Debian chromium: apt-get install -y chromium"; exit 1; }

$(BROWSER_NODE)/node_modules/playwright-core/package.json: internal/browsertest/package.json internal/browsertest/package-lock.json
	@command -v npm >/dev/null || $(APT_INSTALL) npm || { echo "npm is missing: apt-get install -y npm"; exit 1; }
	@mkdir -p $(BROWSER_NODE)
	cp internal/browsertest/package.json internal/browsertest/package-lock.json $(BROWSER_NODE)/
	cd $(BROWSER_NODE) && npm ci --no-audit --no-fund
	@touch $@

test: browser

# ---- in-app API load (cmd/benchhttp) ----
.PHONY: bench-http

## bench-http: load the in-app API (and the Genesys and Twilio endpoints) on loopback beside a bare fasthttp handler: requests/s, ratios, p50/p99 at 1,000 requests/s (BENCH_HTTP_FLAGS=-runs 5 ...)
bench-http: onnxruntime
	@mkdir -p $(BUILD)/artifacts
	@test -f $(MODEL_DIR)/model.onnx || echo "bench-http: no intent model in $(MODEL_DIR): first turns use keyword rules (make model trains one)" >&2
	$(GO) run ./cmd/benchhttp -model $(MODEL_DIR) -svg $(BUILD)/artifacts/bench-http.svg $(BENCH_HTTP_FLAGS) | tee $(BUILD)/bench-http.txt

# ---- email channel (channels/email) ----
.PHONY: bench-email fuzz-email

## bench-email: run BenchmarkEmailIngest (mails/s from the IMAP server to a CRM case on the local plugin; target >= 300/s)
bench-email:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench EmailIngest -benchmem -count 5 -benchtime 1000x ./channels/email/ | tee $(BUILD)/bench-email.txt

## fuzz-email: fuzz the MIME-to-message path (channels/email/mime and the intake's normalization) for FUZZTIME each (default 15s)
fuzz-email:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./channels/email/mime/
	$(GO) test -run '^$$' -fuzz FuzzNormalize -fuzztime $(FUZZTIME) ./channels/email/

# ---- voice and bot platforms (channels/genesys, twilio, dialogflow, voice) ----
.PHONY: bench-voice fuzz-voice

## bench-voice: run BenchmarkGenesysTurn and BenchmarkTwilioTurn (decode, turn on the router with the local plugin, encode; p50/p99 per turn)
bench-voice:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench 'GenesysTurn|TwilioTurn' -benchmem -count 5 -benchtime 600x ./channels/genesys/ ./channels/twilio/ | tee $(BUILD)/bench-voice.txt

## fuzz-voice: fuzz the Twilio, Genesys and Dialogflow decoders for FUZZTIME each (default 15s)
fuzz-voice:
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME) ./channels/twilio/
	$(GO) test -run '^$$' -fuzz FuzzDecodeBotRequest -fuzztime $(FUZZTIME) ./channels/genesys/
	$(GO) test -run '^$$' -fuzz FuzzDecodeActionInput -fuzztime $(FUZZTIME) ./channels/genesys/
	$(GO) test -run '^$$' -fuzz FuzzDecodeES -fuzztime $(FUZZTIME) ./channels/dialogflow/
	$(GO) test -run '^$$' -fuzz FuzzDecodeCX -fuzztime $(FUZZTIME) ./channels/dialogflow/
