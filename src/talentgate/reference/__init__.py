"""Reference data every app shares: countries with UN M49 regions, ISO 4217 currencies, dated exchange rates."""
