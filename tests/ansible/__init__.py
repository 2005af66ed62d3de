"""Tests of the Ansible collection pyst.asterisk, run with a real ansible-core."""
