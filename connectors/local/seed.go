package local

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// DemoCustomers are the customers a new local stack starts with, so that the example policies
// have someone to look up. The phone numbers are in ranges reserved for fiction.
var DemoCustomers = []plugin.Customer{
	{ID: "C-1001", Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+447700900101",
		Address:    plugin.Address{Street: "12 St James's Square", City: "London", Postcode: "SW1Y 4JH", Country: "GB"},
		Attributes: map[string]string{"tier": "gold", "since": "2019-03-01"}},
	{ID: "C-1002", Name: "Grace Hopper", Email: "grace@example.com", Phone: "+12025550142",
		Address:    plugin.Address{Street: "1 Navy Yard", City: "Washington", Postcode: "20374", Country: "US"},
		Attributes: map[string]string{"tier": "silver", "since": "2021-07-15"}},
	{ID: "C-1003", Name: "Alan Turing", Email: "alan@example.com", Phone: "+447700900303",
		Address:    plugin.Address{Street: "Bletchley Park", City: "Milton Keynes", Postcode: "MK3 6EB", Country: "GB"},
		Attributes: map[string]string{"tier": "bronze", "since": "2023-01-09"}},
	{ID: "C-1004", Name: "Katherine Johnson", Email: "katherine@example.com", Phone: "+12025550177",
		Address:    plugin.Address{Street: "21 Langley Blvd", City: "Hampton", Postcode: "23681", Country: "US"},
		Attributes: map[string]string{"tier": "gold", "since": "2018-11-30"}},
	{ID: "C-1005", Name: "Edsger Dijkstra", Email: "edsger@example.com", Phone: "+31970102030",
		Address:    plugin.Address{Street: "Plantage Muidergracht 24", City: "Amsterdam", Postcode: "1018 TV", Country: "NL"},
		Attributes: map[string]string{"tier": "silver", "since": "2022-05-04"}},
}

// seed inserts the demo customers into an empty customers table.
func (s *Store) seed(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return fmt.Errorf("count customers: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, c := range DemoCustomers {
		attrs, err := json.Marshal(c.Attributes)
		if err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO customers
			(id, name, email, phone, street, city, postcode, country, attributes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Name, c.Email, c.Phone, c.Address.Street, c.Address.City,
			c.Address.Postcode, c.Address.Country, string(attrs)); err != nil {
			return fmt.Errorf("seed customer %s: %w", c.ID, err)
		}
	}
	return nil
}
