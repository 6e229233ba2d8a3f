import SodarCache
// The command line lands with the store (issue 2).
print("sodarcache")
