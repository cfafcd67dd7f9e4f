"""The organisations registry: companies, universities (引才合作站), host companies (见习基地),
third-party agencies (引才组织) and partner regions; names normalised, duplicates merged."""
