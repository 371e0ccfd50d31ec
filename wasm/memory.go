package wasm

import "github.com/tetratelabs/wazero/experimental"

// cappedMemory backs one instance's linear memory and refuses to grow past its module's cap.
// The cap is per module, while wazero's WithMemoryLimitPages is per runtime, so this is where
// a module's own limit takes effect: memory.grow past it returns -1 inside the guest.
type cappedMemory struct {
	buf     []byte
	limit   uint64
	refused bool // a grow was refused; a failing call then reports ErrMemoryLimit
}

// allocator returns the hook wazero calls to create the instance's memory.
func (m *cappedMemory) allocator() experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(func(_, _ uint64) experimental.LinearMemory { return m })
}

// Reallocate grows the buffer to size bytes, or returns nil past the cap.
func (m *cappedMemory) Reallocate(size uint64) []byte {
	if size > m.limit {
		m.refused = true
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
		return m.buf
	}
	// Double to keep growth amortized, but never reserve past the cap.
	newCap := max(size, 2*uint64(cap(m.buf)))
	newCap = min(newCap, m.limit)
	buf := make([]byte, size, newCap)
	copy(buf, m.buf)
	m.buf = buf
	return buf
}

// Free drops the buffer.
func (m *cappedMemory) Free() { m.buf = nil }
