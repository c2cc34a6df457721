"""Acceptance tests of the contract on the 880 real registry records (issue 18): expected answers
computed from the records themselves, by rules written here apart from the product's own."""
