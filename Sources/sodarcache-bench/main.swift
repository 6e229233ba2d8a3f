// Benchmarks: `sodarcache-bench store|json|browser|filestats`.
print("usage: sodarcache-bench store|json|browser|filestats")
