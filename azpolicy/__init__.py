"""Azure Policy, offline: the built-in definitions this repository recommends, and a pure evaluator of their rules.

`definitions/<guid>.json` are the real built-in definitions (Azure/azure-policy, trimmed to what evaluation needs,
each with its source path and commit); `evaluate` judges a definition's `if` against a resource as its create
request will reach Azure; `requests` turns what the program sends (azure-native wire inputs) into that request.
"""
