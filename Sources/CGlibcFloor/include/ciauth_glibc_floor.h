// Nothing to import: the target only defines functions the statically linked C++ runtime calls
// (arc4random.c).
