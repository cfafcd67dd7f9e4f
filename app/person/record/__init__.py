"""The talent record (我的人才档案): one timeline of everything a person did across the programmes,
built from a registry of sources (`sources`), shown to the person, printed as a verifiable
statement (参与证明汇总) and exported as JSON; staff read it within their departments' scope."""
