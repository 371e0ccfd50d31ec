// Package dag checks that what points to what has no cycle: a policy's nodes, the policies
// that call each other, hydrations that depend on each other.
package dag

// Walk visits, depth first, every node reachable from roots through next. It returns the first
// cycle it meets, as the path from the node where it starts back to that node (a -> b -> a),
// or nil, and the set of nodes reached. Roots and next's answers are visited in their order,
// so the result is deterministic.
func Walk(roots []string, next func(string) []string) (cycle []string, reached map[string]bool) {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string) bool
	visit = func(n string) bool {
		switch state[n] {
		case visiting:
			i := 0
			for stack[i] != n {
				i++
			}
			cycle = append(append([]string{}, stack[i:]...), n)
			return false
		case done:
			return true
		}
		state[n] = visiting
		stack = append(stack, n)
		for _, m := range next(n) {
			if !visit(m) {
				return false
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		return true
	}
	for _, r := range roots {
		if !visit(r) {
			break
		}
	}
	reached = make(map[string]bool, len(state))
	for n := range state {
		reached[n] = true
	}
	return cycle, reached
}
