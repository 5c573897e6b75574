"""documents layer"""
