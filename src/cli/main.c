#include <stdio.h>
int main(void) { puts("mediadash"); return 0; }
