# `cpack -G DEB` in the build folder (./dev.sh package): paramscope_VERSION_ARCH.deb, installing
# under /usr, its Depends found by dpkg-shlibdeps from the libraries the binaries link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME paramscope)
set(CPACK_PACKAGE_VENDOR "The ParamScope developers")
set(CPACK_PACKAGE_CONTACT "The ParamScope developers <paramscope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "exact parameter counts of transformer models")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The long description: what `apt show paramscope` prints under the summary.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ParamScope shows where every parameter of a transformer language model lives:
a tree of its layers (embeddings, attention, MLP, norms, LM head, vision
tower …) with each component's formula and its exact integer count,
recomputed as the hyperparameters change. It opens its presets (GPT-2, Llama,
Gemma, Qwen, DeepSeek …), its own design files and Hugging Face config.json
files, charts the count's growth and estimates memory and compute.
.
This package holds the desktop app (paramscope) and the command line
(paramscope-cli).")
# Debian policy: the licence as /usr/share/doc/paramscope/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/paramscope RENAME copyright)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
include(CPack)
