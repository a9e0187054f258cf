"""Helpers shared by several test modules (servers, site builds, notebook checks). Test modules
import them as ``from support import <module>``; nothing here is collected as a test."""
