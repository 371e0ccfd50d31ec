package router

import "github.com/frontdeskhq/frontdesk/core/message"

// MetadataAgent is the message metadata key that names the support agent (CSR) who entered a
// turn on the customer's behalf, on the agent channel.
const MetadataAgent = "agent"

// logSource says who drove a turn, for the decision log: the channel, or for agent assist
// that the run was agent-guided and by whom, so the case shows which answers a person gave.
func logSource(msg message.Message) string {
	if msg.Channel != message.ChannelAgent {
		return msg.Channel
	}
	if name := msg.Metadata[MetadataAgent]; name != "" {
		return "agent-guided by " + name
	}
	return "agent-guided"
}
