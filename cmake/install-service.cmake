# Install-time part of cmake/install.cmake: the systemd unit and the
# default config file, under the prefix `cmake --install` was given.
# file(INSTALL) puts DESTDIR in front of an absolute DESTINATION itself.
# In: MD_SRC, MD_BIN (source and build trees), MD_BINDIR_REL (bin).
set(_prefix "${CMAKE_INSTALL_PREFIX}")
if(_prefix STREQUAL "/usr")
  set(MD_SYSCONFDIR "/etc")
  set(_unitdir "/lib/systemd/system")
else()
  set(MD_SYSCONFDIR "${_prefix}/etc")
  set(_unitdir "${_prefix}/lib/systemd/system")
endif()
set(MD_BINDIR "${_prefix}/${MD_BINDIR_REL}")
configure_file("${MD_SRC}/dist/systemd/mediadash.service.in"
               "${MD_BIN}/dist/mediadash.service" @ONLY)
file(INSTALL "${MD_BIN}/dist/mediadash.service"
     DESTINATION "${_unitdir}"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# The config file the unit names: installed once, never over an edited one.
set(_conf "$ENV{DESTDIR}${MD_SYSCONFDIR}/mediadash/mediadash.conf")
if(EXISTS "${_conf}")
  message(STATUS "Keeping: ${_conf}")
else()
  file(INSTALL "${MD_SRC}/dist/mediadash.conf"
       DESTINATION "${MD_SYSCONFDIR}/mediadash"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endif()
