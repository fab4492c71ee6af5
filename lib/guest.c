#include <string.h>

#include "guest.h"

const struct guest_image *guest_find(const char *name)
{
	for (unsigned i = 0; i < guest_image_count; i++)
		if (!strcmp(guest_images[i].name, name))
			return &guest_images[i];
	return NULL;
}
