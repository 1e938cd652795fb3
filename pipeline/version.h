/* The version written into manifests and --version. */
#define BIDUI_VERSION "0.1.0"
